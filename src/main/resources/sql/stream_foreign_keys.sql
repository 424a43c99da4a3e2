-- the foreign keys stream mode adds itself, each as soon as both of its tables are finished (data, indexes, PRIMARY
-- KEY and UNIQUE constraints): between plain tables that are neither partitions nor inheritance children. Whether
-- the unique index a key references is one the tool builds is checked by the caller (index_oid); the others are
-- left to pg_restore's post-data. Read with an empty search_path, so every name in the definition is qualified.
SELECT co.oid::bigint AS constraint_oid, co.conname AS name,
       n.nspname AS table_schema, c.relname AS table_name,
       rn.nspname AS referenced_schema, r.relname AS referenced_name,
       co.conindid::bigint AS index_oid,
       pg_get_constraintdef(co.oid) AS definition,
       -- pg_restore restores a comment only with its object: the tool restores it itself
       obj_description(co.oid, 'pg_constraint') AS comment
  FROM pg_constraint co
  JOIN pg_class c ON c.oid = co.conrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_class r ON r.oid = co.confrelid
  JOIN pg_namespace rn ON rn.oid = r.relnamespace
 WHERE co.contype = 'f' AND c.relkind = 'r' AND r.relkind = 'r'
   AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'
   AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid IN (c.oid, r.oid))
 ORDER BY 3, 4, 2
