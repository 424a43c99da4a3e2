-- The extensions this server can create (those whose control file is installed).
SELECT name FROM pg_catalog.pg_available_extensions
