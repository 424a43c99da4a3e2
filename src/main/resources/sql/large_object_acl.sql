-- stream mode: the privileges of the large objects of one batch (oids from, to) that have an ACL, item by item in
-- the ACL's order (one row per privilege); an empty ACL is one row of NULLs. grantee NULL is PUBLIC.
SELECT m.oid::bigint, pg_catalog.pg_get_userbyid(m.lomowner), pg_catalog.pg_get_userbyid(a.grantor),
       CASE WHEN a.grantee <> 0 THEN pg_catalog.pg_get_userbyid(a.grantee) END, a.privilege_type, a.is_grantable
  FROM pg_catalog.pg_largeobject_metadata m
  LEFT JOIN LATERAL pg_catalog.aclexplode(m.lomacl) WITH ORDINALITY
       AS a(grantor, grantee, privilege_type, is_grantable, n) ON true
 WHERE m.lomacl IS NOT NULL AND m.oid BETWEEN ?::bigint::oid AND ?::bigint::oid
 ORDER BY m.oid, a.n
