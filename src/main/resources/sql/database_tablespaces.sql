-- the tablespaces the relations of the connected database are in, other than the database's own default (0)
SELECT DISTINCT t.spcname
  FROM pg_class c
  JOIN pg_tablespace t ON t.oid = c.reltablespace
 WHERE t.spcname NOT IN ('pg_default', 'pg_global')
 ORDER BY 1
