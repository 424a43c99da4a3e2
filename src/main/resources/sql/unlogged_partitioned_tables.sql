-- the database's unlogged partitioned tables (10 to 17 accept them, 18 refuses them): their oid (pg_restore --list
-- names a table by pg_class's oid, 1259, and its own) and their quoted name
SELECT c.oid, quote_ident(n.nspname) || '.' || quote_ident(c.relname)
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind = 'p' AND c.relpersistence = 'u'
