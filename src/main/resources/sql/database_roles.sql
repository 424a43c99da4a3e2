-- The roles the current database names, which its restore needs on the target: the owners of its objects, the
-- grantees and grantors of their privileges, the roles of its default privileges, policies and user mappings (all
-- in pg_shdepend, which leaves out the pinned roles: initdb's bootstrap superuser and the predefined ones), the
-- database's owner, the roles of its privileges and of its ALTER ROLE ... IN DATABASE settings, and the bootstrap
-- superuser (oid 10) where it owns an object a user made (oid 16384 and up; what initdb made, such as plpgsql, stays
-- each server's own) or the public schema: pg_dump writes that schema's owner unless it is pg_database_owner, as from
-- 15 on, so before 15 its ALTER SCHEMA public OWNER TO names the source's bootstrap superuser. PUBLIC is no role.
WITH db AS (
    SELECT oid, datdba FROM pg_catalog.pg_database WHERE datname = current_database()
)
SELECT r.rolname
  FROM pg_catalog.pg_shdepend d
  JOIN pg_catalog.pg_roles r ON r.oid = d.refobjid
 WHERE d.refclassid = 'pg_catalog.pg_authid'::pg_catalog.regclass
   AND (d.dbid = (SELECT oid FROM db)
        OR d.dbid = 0 AND d.classid = 'pg_catalog.pg_database'::pg_catalog.regclass AND d.objid = (SELECT oid FROM db))
UNION
SELECT r.rolname FROM pg_catalog.pg_roles r WHERE r.oid = (SELECT datdba FROM db)
UNION
SELECT r.rolname
  FROM pg_catalog.pg_db_role_setting s
  JOIN pg_catalog.pg_roles r ON r.oid = s.setrole
 WHERE s.setdatabase = (SELECT oid FROM db)
UNION
SELECT r.rolname
  FROM pg_catalog.pg_roles r
 WHERE r.oid = 10
   AND (EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspowner = 10 AND (oid >= 16384 OR nspname = 'public'))
        OR EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE relowner = 10 AND oid >= 16384)
        OR EXISTS (SELECT 1 FROM pg_catalog.pg_proc WHERE proowner = 10 AND oid >= 16384)
        OR EXISTS (SELECT 1 FROM pg_catalog.pg_type WHERE typowner = 10 AND oid >= 16384)
        OR EXISTS (SELECT 1 FROM pg_catalog.pg_collation WHERE collowner = 10 AND oid >= 16384)
        OR EXISTS (SELECT 1 FROM pg_catalog.pg_conversion WHERE conowner = 10 AND oid >= 16384)
        OR EXISTS (SELECT 1 FROM pg_catalog.pg_operator WHERE oprowner = 10 AND oid >= 16384)
        OR EXISTS (SELECT 1 FROM pg_catalog.pg_opfamily WHERE opfowner = 10 AND oid >= 16384)
        OR EXISTS (SELECT 1 FROM pg_catalog.pg_opclass WHERE opcowner = 10 AND oid >= 16384)
        OR EXISTS (SELECT 1 FROM pg_catalog.pg_ts_dict WHERE dictowner = 10 AND oid >= 16384)
        OR EXISTS (SELECT 1 FROM pg_catalog.pg_ts_config WHERE cfgowner = 10 AND oid >= 16384)
        OR EXISTS (SELECT 1 FROM pg_catalog.pg_language WHERE lanowner = 10 AND oid >= 16384)
        OR EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extowner = 10 AND oid >= 16384)
        OR EXISTS (SELECT 1 FROM pg_catalog.pg_foreign_data_wrapper WHERE fdwowner = 10 AND oid >= 16384)
        OR EXISTS (SELECT 1 FROM pg_catalog.pg_foreign_server WHERE srvowner = 10 AND oid >= 16384)
        OR EXISTS (SELECT 1 FROM pg_catalog.pg_event_trigger WHERE evtowner = 10)
        OR EXISTS (SELECT 1 FROM pg_catalog.pg_largeobject_metadata WHERE lomowner = 10)
        OR EXISTS (SELECT 1 FROM pg_catalog.pg_default_acl WHERE defaclrole = 10))
