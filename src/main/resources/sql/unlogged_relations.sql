-- the database's unlogged tables and sequences, quoted: a standby cannot read them (they are not WAL-logged, so
-- their rows never reach it). Not a partitioned table marked unlogged: it holds no rows (each partition has its own
-- persistence), and the run reads its partitions, never it
SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relpersistence = 'u' AND c.relkind IN ('r', 'S')
 ORDER BY 1
