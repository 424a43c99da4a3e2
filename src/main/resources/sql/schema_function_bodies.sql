-- SQL-standard function bodies (14+: BEGIN ATOMIC ... END or RETURN expr), whose prosrc is empty: the body as the
-- server prints it back, hashed like the other bodies
SELECT 'function body', format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)),
       md5(pg_get_function_sqlbody(p.oid))
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE p.prosqlbody IS NOT NULL AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
   AND NOT EXISTS (SELECT 1 FROM pg_depend WHERE classid = 'pg_proc'::regclass AND objid = p.oid AND deptype = 'e')
