-- The source roles named by the values of the current database's role settings (ALTER DATABASE ... SET role, ALTER
-- ROLE ... IN DATABASE ... SET role) and of its functions' role and session_authorization settings (ALTER FUNCTION
-- ... SET): a restore keeps such a value when the target lacks its role (a NOTICE), and then every session of the
-- database (or of that role in it) runs as its login instead, and every call of the function fails. A role setting
-- or session_authorization of ALTER DATABASE ... SET makes no difference either way: the login's own wins. A name
-- that is no role on the source either (dropped since, or none) is as broken there.
SELECT r.rolname
  FROM pg_catalog.pg_db_role_setting s
 CROSS JOIN LATERAL pg_catalog.unnest(s.setconfig) AS c(setting)
  JOIN pg_catalog.pg_roles r ON r.rolname = substr(c.setting, length('role=') + 1)
 WHERE s.setdatabase = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())
   AND c.setting LIKE 'role=%'
UNION
SELECT r.rolname
  FROM pg_catalog.pg_proc p
 CROSS JOIN LATERAL pg_catalog.unnest(p.proconfig) AS c(setting)
  JOIN pg_catalog.pg_roles r ON r.rolname = substr(c.setting, strpos(c.setting, '=') + 1)
 WHERE c.setting LIKE 'role=%' OR c.setting LIKE 'session\_authorization=%'
