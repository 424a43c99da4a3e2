-- the relations whose data pg_dump writes (tables, sequences, materialized views) outside the system schemas,
-- extensions' too: those a pg_dump pattern for the delayed tables may also match; and whether an extension owns each
SELECT c.oid, n.nspname, c.relname, c.relkind,
       EXISTS (SELECT 1 FROM pg_depend d
                WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e') AS extension_member
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'S', 'm')
   AND n.nspname <> 'information_schema'
   AND n.nspname !~ '^pg_'
