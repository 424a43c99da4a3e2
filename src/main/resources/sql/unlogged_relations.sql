-- the database's unlogged tables and sequences, quoted: a standby cannot read them (they are not WAL-logged, so
-- their rows never reach it)
SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relpersistence = 'u' AND c.relkind IN ('r', 'p', 'S')
 ORDER BY 1
