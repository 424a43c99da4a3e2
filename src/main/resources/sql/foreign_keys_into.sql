-- foreign keys of other tables that point into the given tables; their oid identifies them in pg_restore's list.
-- Constraints cloned onto partitions (conparentid, 12+) are left out: pg_dump writes only the parent's.
SELECT c.oid::bigint AS oid, nr.nspname AS table_schema, r.relname AS table_name, c.conname,
       pg_get_constraintdef(c.oid) AS definition, obj_description(c.oid, 'pg_constraint') AS comment
  FROM pg_constraint c
  JOIN pg_class r ON r.oid = c.conrelid
  JOIN pg_namespace nr ON nr.oid = r.relnamespace
  JOIN pg_class f ON f.oid = c.confrelid
  JOIN pg_namespace nf ON nf.oid = f.relnamespace
 WHERE c.contype = 'f'
   AND coalesce((to_jsonb(c) ->> 'conparentid')::oid, 0) = 0
   AND (nf.nspname, f.relname) IN (SELECT * FROM unnest(?::text[], ?::text[]))
   AND (nr.nspname, r.relname) NOT IN (SELECT * FROM unnest(?::text[], ?::text[]))
 ORDER BY 2, 3, 4
