-- The privileges an extension's objects got at CREATE EXTENSION from the default privileges then in force (ALTER
-- DEFAULT PRIVILEGES of the role running the script), as GRANT statements for the target: pg_init_privs records them
-- as if the script had granted them, so pg_dump, which writes only the changes from pg_init_privs, does not carry
-- them, and the target's CREATE EXTENSION runs before any default privileges are restored. Those granted to a role
-- other than their grantor, PUBLIC or a predefined role (no script names such a role; schema_extension_privileges.sql
-- reads them alike) and still held, each with its grantee. Goes on from extension_member_objects.sql.
), item AS (
    SELECT o.grant_on, o.col, o.acl, a.grantee, a.grantor, a.privilege_type, a.is_grantable
      FROM object o
      JOIN pg_init_privs i
        ON i.classoid = o.classid AND i.objoid = o.objid AND i.objsubid = o.subid AND i.privtype = 'e'
      CROSS JOIN LATERAL aclexplode(i.initprivs) a
      JOIN pg_roles r ON r.oid = a.grantee
     WHERE a.grantee <> a.grantor AND r.rolname !~ '^pg_'
)
SELECT format('GRANT %s%s ON %s TO %I%s', it.privilege_type, ' (' || it.col || ')', it.grant_on,
              pg_get_userbyid(it.grantee), CASE WHEN it.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END),
       pg_get_userbyid(it.grantee)
  FROM item it
 WHERE EXISTS (SELECT 1 FROM aclexplode(it.acl) c
                WHERE c.grantee = it.grantee AND c.grantor = it.grantor AND c.privilege_type = it.privilege_type
                  AND c.is_grantable = it.is_grantable)
 ORDER BY 1
