-- stream mode: the sequences whose values pg_dump writes as SEQUENCE SET entries of the data section, which the
-- schema archive leaves out (it holds only the pre-data and post-data sections): every sequence outside the system
-- schemas that no extension owns. An extension's configuration sequences come with its configuration data
-- (extension_config_relations).
SELECT n.nspname, c.relname
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind = 'S'
   AND n.nspname <> 'information_schema'
   AND n.nspname !~ '^pg_'
   AND NOT EXISTS (SELECT 1 FROM pg_depend d
                    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
 ORDER BY 1, 2
