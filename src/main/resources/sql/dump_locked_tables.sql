-- the tables pg_dump locks (ACCESS SHARE, held until it ends): every plain and partitioned table outside the
-- system schemas
SELECT count(*)
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p')
   AND n.nspname <> 'information_schema'
   AND n.nspname !~ '^pg_'
