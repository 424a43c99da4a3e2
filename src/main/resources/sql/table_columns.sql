-- a table's columns, with the base type of domains (floats are checksummed by their binary form)
SELECT a.attname, format_type(coalesce(nullif(t.typbasetype, 0), t.oid), NULL) AS base_type
  FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
 WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY a.attnum
