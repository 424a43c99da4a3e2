-- the roles extensions' objects got privileges for at CREATE EXTENSION from default privileges (9.6+: pg_init_privs,
-- which pg_shdepend records only from 17 on): the restore grants those still held, and pg_dump revokes the others,
-- naming them either way (extension_default_grants.sql)
SELECT DISTINCT r.rolname
  FROM pg_catalog.pg_init_privs i
 CROSS JOIN LATERAL pg_catalog.aclexplode(i.initprivs) a
  JOIN pg_catalog.pg_roles r ON r.oid = a.grantee
 WHERE i.privtype = 'e' AND a.grantee <> a.grantor AND r.rolname !~ '^pg_'
