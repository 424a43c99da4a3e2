-- Every setting of ALTER ROLE ... SET, ALTER DATABASE ... SET and ALTER ROLE ... IN DATABASE ... SET on the source:
-- the role (null for a database's own), the database (null for a role's everywhere), the setting's name.
SELECT r.rolname, d.datname, split_part(c.setting, '=', 1)
  FROM pg_db_role_setting s
  LEFT JOIN pg_roles r ON r.oid = s.setrole
  LEFT JOIN pg_database d ON d.oid = s.setdatabase
 CROSS JOIN LATERAL unnest(s.setconfig) AS c(setting)
