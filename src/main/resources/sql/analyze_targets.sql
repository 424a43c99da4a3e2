-- relations ANALYZE gives statistics to: tables, partitions, partitioned parents, materialized views
SELECT n.nspname, c.relname
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p', 'm')
   AND n.nspname <> 'information_schema'
   AND n.nspname !~ '^pg_'
 ORDER BY c.relpages DESC, 1, 2
