-- the indexes stream mode builds itself, each table's as soon as its data is in: plain indexes, and the unique
-- btree indexes of PRIMARY KEY and UNIQUE constraints (attached with ADD CONSTRAINT ... USING INDEX once built).
-- Only of plain tables that are neither partitions nor inheritance children. Anything pg_dump writes more about is
-- left to pg_restore: exclusion constraints, an index in a tablespace, CLUSTER ON, REPLICA IDENTITY, statistics
-- targets of index columns, an index attached to a partitioned one, and invalid indexes (pg_dump skips those).
SELECT nt.nspname AS table_schema, ct.relname AS table_name, i.indexrelid::bigint AS index_oid,
       ci.relname AS index_name, pg_get_indexdef(i.indexrelid) AS definition,
       co.oid::bigint AS constraint_oid, co.contype::text AS constraint_type,
       co.condeferrable AS deferrable, co.condeferred AS deferred,
       -- pg_restore restores a comment only with its object: the tool restores these itself
       CASE WHEN co.oid IS NULL THEN obj_description(i.indexrelid, 'pg_class')
            ELSE obj_description(co.oid, 'pg_constraint') END AS comment
  FROM pg_index i
  JOIN pg_class ci ON ci.oid = i.indexrelid
  JOIN pg_class ct ON ct.oid = i.indrelid
  JOIN pg_namespace nt ON nt.oid = ct.relnamespace
  LEFT JOIN pg_constraint co ON co.conindid = i.indexrelid AND co.conrelid = i.indrelid
                            AND co.contype IN ('p', 'u', 'x')
 WHERE ct.relkind = 'r'
   AND nt.nspname <> 'information_schema' AND nt.nspname !~ '^pg_'
   AND i.indisvalid AND NOT i.indisclustered AND NOT i.indisreplident
   AND ci.reltablespace = 0
   AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid IN (ct.oid, ci.oid))
   AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = ci.oid AND a.attstattarget >= 0)
   AND (co.oid IS NULL
        OR (co.contype IN ('p', 'u') AND co.conname = ci.relname
            AND ci.relam = (SELECT oid FROM pg_am WHERE amname = 'btree')))
 ORDER BY 1, 2, 4
