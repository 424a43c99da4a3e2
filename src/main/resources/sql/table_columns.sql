-- a table's columns and their types (a checksum takes floats by their binary form, wherever they are nested), in
-- no particular order: TableChecksum takes them by name
SELECT a.attname, a.atttypid
  FROM pg_attribute a
 WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped
