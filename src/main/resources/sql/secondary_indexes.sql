-- indexes of the given tables that no constraint uses (PK, UNIQUE, EXCLUDE and the indexes FKs rely on stay),
-- that are not attached to a partitioned index, and that pg_dump restores (valid ones)
SELECT nt.nspname AS table_schema, ct.relname AS table_name, n.nspname AS index_schema, ci.relname AS index_name,
       pg_get_indexdef(i.indexrelid) AS definition
  FROM pg_index i
  JOIN pg_class ci ON ci.oid = i.indexrelid
  JOIN pg_namespace n ON n.oid = ci.relnamespace
  JOIN pg_class ct ON ct.oid = i.indrelid
  JOIN pg_namespace nt ON nt.oid = ct.relnamespace
 WHERE (nt.nspname, ct.relname) IN (SELECT * FROM unnest(?::text[], ?::text[]))
   AND i.indisvalid
   AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
   AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid)
 ORDER BY 1, 2, 4
