-- the tablespaces the relations of the connected database are in, other than the database's own default (0);
-- a session's temporary tables (temp_tablespaces) are not migrated
SELECT DISTINCT t.spcname
  FROM pg_class c
  JOIN pg_tablespace t ON t.oid = c.reltablespace
 WHERE t.spcname NOT IN ('pg_default', 'pg_global') AND c.relpersistence <> 't'
 ORDER BY 1
