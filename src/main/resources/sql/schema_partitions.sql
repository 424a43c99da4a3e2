-- declarative partitioning (10+): each partitioned table's key, and each partition (table or index) with the
-- parent it is attached to and, for a table, its bound
SELECT 'partition key', format('%I.%I', n.nspname, c.relname), pg_get_partkeydef(c.oid)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind = 'p' AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
UNION ALL
SELECT 'partition', format('%I.%I', n.nspname, c.relname),
       concat_ws(' ', 'of ' || format('%I.%I', pn.nspname, p.relname), pg_get_expr(c.relpartbound, c.oid))
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_inherits i ON i.inhrelid = c.oid
  JOIN pg_class p ON p.oid = i.inhparent
  JOIN pg_namespace pn ON pn.oid = p.relnamespace
 WHERE c.relispartition AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
