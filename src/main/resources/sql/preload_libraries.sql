-- The libraries the server loads at start, as set (a comma-separated list, names possibly double-quoted).
SELECT pg_catalog.current_setting('shared_preload_libraries')
