-- The shared libraries the extensions of the current database load: the probin of each C function they hold.
SELECT DISTINCT e.extname, p.probin
  FROM pg_catalog.pg_extension e
  JOIN pg_catalog.pg_depend d ON d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
       AND d.refobjid = e.oid AND d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.deptype = 'e'
  JOIN pg_catalog.pg_proc p ON p.oid = d.objid
 WHERE p.probin IS NOT NULL
 ORDER BY 1, 2
