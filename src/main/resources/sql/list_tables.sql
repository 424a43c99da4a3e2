-- every leaf relation holding rows of its own (tables, partitions, inheritance children), biggest first;
-- tables that belong to an extension are the extension's business and are left out
SELECT n.nspname, c.relname, c.reltuples::bigint AS estimate
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind = 'r'
   AND n.nspname <> 'information_schema'
   AND n.nspname !~ '^pg_'
   AND NOT EXISTS (SELECT 1 FROM pg_depend d
                    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
 ORDER BY c.relpages DESC, 1, 2
