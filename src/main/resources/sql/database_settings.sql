-- ALTER DATABASE ... SET (role NULL) and ALTER ROLE ... IN DATABASE ... SET
SELECT r.rolname, unnest(s.setconfig) AS setting
  FROM pg_db_role_setting s
  JOIN pg_database d ON d.oid = s.setdatabase
  LEFT JOIN pg_roles r ON r.oid = s.setrole
 WHERE d.datname = ?
 ORDER BY 1 NULLS FIRST, 2
