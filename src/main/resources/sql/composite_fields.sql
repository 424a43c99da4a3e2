-- the fields of a composite type, in order
SELECT a.attname, a.atttypid
  FROM pg_attribute a
 WHERE a.attrelid = ?::bigint::oid AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY a.attnum
