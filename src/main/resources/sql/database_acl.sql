-- the database's privileges, one row per grantee and privilege (grantee 0 is PUBLIC)
SELECT CASE WHEN a.grantee = 0 THEN NULL ELSE pg_get_userbyid(a.grantee) END AS grantee,
       a.privilege_type, a.is_grantable
  FROM pg_database d, aclexplode(d.datacl) a
 WHERE d.datname = ?
 ORDER BY 1 NULLS FIRST, 2
