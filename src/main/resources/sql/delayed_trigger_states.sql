-- triggers of the given tables that are not simply enabled: disabled (D), replica-only (R) or always (A);
-- pg_restore --disable-triggers enables every trigger of a table once it has loaded it
SELECT n.nspname AS table_schema, c.relname AS table_name, t.tgname AS name, t.tgenabled::text AS enabled
  FROM pg_trigger t
  JOIN pg_class c ON c.oid = t.tgrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE (n.nspname, c.relname) IN (SELECT * FROM unnest(?::text[], ?::text[]))
   AND NOT t.tgisinternal
   AND t.tgenabled <> 'O'
 ORDER BY 1, 2, 3
