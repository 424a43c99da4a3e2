-- The libraries the server loads at start, as set (a comma-separated list, names possibly double-quoted). Read from
-- pg_settings, which has no row for a login that may not examine it (no superuser, nor pg_read_all_settings).
SELECT setting FROM pg_catalog.pg_settings WHERE name = 'shared_preload_libraries'
