-- What a target login that is not a superuser cannot restore of the current database, as "kind: object" lines:
-- objects a superuser owns (other than the target's login, the parameter: a non-superuser may only give an object
-- to a role it can SET ROLE to, and to no superuser), functions in an untrusted language (C, internal, plperlu ...),
-- event triggers, procedural languages and foreign-data wrappers (each needs a superuser: on 15 and 17 the restore
-- failed half-way on the language or wrapper, then on each foreign server, user mapping and foreign table over it,
-- whoever owned them). Objects of extensions come with their extension, and initdb's with the server, except the
-- public schema, whose owner pg_dump writes. The bootstrap superuser (oid 10) is pinned, so its objects are not in
-- pg_shdepend: they are read from each catalog that has an owner.
WITH owned(classid, objid, owner) AS (
    SELECT d.classid, d.objid, d.refobjid
      FROM pg_shdepend d JOIN pg_database db ON db.oid = d.dbid
     WHERE db.datname = current_database() AND d.deptype = 'o' AND d.refclassid = 'pg_authid'::regclass
    UNION ALL SELECT 'pg_namespace'::regclass, oid, nspowner FROM pg_namespace
               WHERE nspowner = 10 AND nspname !~ '^pg_' AND nspname <> 'information_schema'
    UNION ALL SELECT 'pg_class'::regclass, oid, relowner FROM pg_class
               WHERE relowner = 10 AND relkind NOT IN ('t', 'i', 'I')
    UNION ALL SELECT 'pg_proc'::regclass, oid, proowner FROM pg_proc WHERE proowner = 10
    UNION ALL SELECT 'pg_type'::regclass, t.oid, t.typowner FROM pg_type t
               WHERE t.typowner = 10 AND t.typrelid = 0 AND NOT EXISTS (SELECT 1 FROM pg_type e WHERE e.typarray = t.oid)
    UNION ALL SELECT 'pg_collation'::regclass, oid, collowner FROM pg_collation WHERE collowner = 10
    UNION ALL SELECT 'pg_conversion'::regclass, oid, conowner FROM pg_conversion WHERE conowner = 10
    UNION ALL SELECT 'pg_operator'::regclass, oid, oprowner FROM pg_operator WHERE oprowner = 10
    UNION ALL SELECT 'pg_opclass'::regclass, oid, opcowner FROM pg_opclass WHERE opcowner = 10
    UNION ALL SELECT 'pg_opfamily'::regclass, oid, opfowner FROM pg_opfamily WHERE opfowner = 10
    UNION ALL SELECT 'pg_ts_dict'::regclass, oid, dictowner FROM pg_ts_dict WHERE dictowner = 10
    UNION ALL SELECT 'pg_ts_config'::regclass, oid, cfgowner FROM pg_ts_config WHERE cfgowner = 10
    UNION ALL SELECT 'pg_foreign_server'::regclass, oid, srvowner FROM pg_foreign_server WHERE srvowner = 10
    UNION ALL SELECT 'pg_extension'::regclass, oid, extowner FROM pg_extension WHERE extowner = 10
    UNION ALL SELECT 'pg_largeobject'::regclass, oid, lomowner FROM pg_largeobject_metadata WHERE lomowner = 10
    UNION ALL SELECT 'pg_default_acl'::regclass, oid, defaclrole FROM pg_default_acl WHERE defaclrole = 10
)
SELECT 'owned by a superuser: ' || pg_describe_object(o.classid, o.objid, 0) || ' (owner ' || quote_ident(r.rolname)
       || ')'
  FROM owned o JOIN pg_roles r ON r.oid = o.owner
 WHERE r.rolsuper AND r.rolname <> ?
   AND (o.objid >= 16384 OR o.classid = 'pg_namespace'::regclass AND o.objid = 2200)
   AND o.classid NOT IN ('pg_language'::regclass, 'pg_foreign_data_wrapper'::regclass) -- named below, whoever owns them
   AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = o.classid AND e.objid = o.objid AND e.deptype = 'e')
UNION ALL
SELECT 'owned by a superuser: database ' || quote_ident(d.datname) || ' (owner ' || quote_ident(r.rolname) || ')'
  FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba
 WHERE d.datname = current_database() AND r.rolsuper AND r.rolname <> ?
UNION ALL
SELECT 'function in an untrusted language: ' || p.oid::regprocedure::text || ' (' || quote_ident(l.lanname) || ')'
  FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
 WHERE NOT l.lanpltrusted AND p.oid >= 16384
   AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid AND e.deptype = 'e')
UNION ALL
SELECT 'event trigger: ' || quote_ident(evtname) FROM pg_event_trigger
UNION ALL
SELECT 'procedural language: ' || quote_ident(l.lanname) FROM pg_language l
 WHERE l.oid >= 16384
   AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_language'::regclass AND e.objid = l.oid AND e.deptype = 'e')
UNION ALL
SELECT 'foreign-data wrapper: ' || quote_ident(w.fdwname) FROM pg_foreign_data_wrapper w
 WHERE NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_foreign_data_wrapper'::regclass AND e.objid = w.oid
                                                AND e.deptype = 'e')
