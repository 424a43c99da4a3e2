-- the database's privileges, one row per grantee and privilege (grantee 0 is PUBLIC), with the role that granted it,
-- in the order of the ACL: a grant made by a role holding the grant option comes after the grant that gave it
SELECT CASE WHEN a.grantee = 0 THEN NULL ELSE pg_get_userbyid(a.grantee) END AS grantee,
       a.privilege_type, a.is_grantable, pg_get_userbyid(a.grantor) AS grantor
  FROM pg_database d, aclexplode(d.datacl) WITH ORDINALITY a
 WHERE d.datname = ?
 ORDER BY a.ordinality
