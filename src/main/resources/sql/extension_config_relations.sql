-- stream mode: the configuration tables and sequences of the extensions (pg_extension_config_dump), whose rows and
-- values pg_dump writes in the data section (a table's filtered by the extension's condition), which the schema
-- archive leaves out: a second, small pg_dump names each of them.
SELECT n.nspname, c.relname
  FROM pg_extension e
 CROSS JOIN LATERAL unnest(e.extconfig) AS cfg(oid)
  JOIN pg_class c ON c.oid = cfg.oid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 ORDER BY 1, 2
