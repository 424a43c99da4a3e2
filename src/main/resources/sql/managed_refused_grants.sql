-- The privileges of the current database that a target login that is not a superuser cannot restore, as "kind:
-- object" lines: changes from the initial privileges (pg_init_privs, or the default) of pg_catalog's objects and of
-- extensions' objects, which pg_dump writes as GRANT and REVOKE, and which the target's bootstrap superuser owns
-- there (a trusted extension's objects too: its script runs as that superuser), so the login may grant nothing on
-- them: on 15 and 17 such a GRANT failed half-way through the restore ("permission denied"), or, where PUBLIC gave
-- the login the privilege, was skipped with a warning and the verification found it missing. And a privilege granted
-- by a role other than its object's owner (with a grant option), which pg_dump grants as that role with SET SESSION
-- AUTHORIZATION, which only a superuser may run (the database's own privileges are granted by this tool, with SET
-- ROLE). Large objects have no pg_init_privs entry nor acldefault kind before 9.6's: they are user objects.
WITH acls(classid, objid, subid, nsp, acl, owner, kind) AS (
    SELECT 'pg_class'::regclass, c.oid, 0, c.relnamespace, c.relacl, c.relowner,
           CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END::"char"
      FROM pg_class c WHERE c.relacl IS NOT NULL
    UNION ALL SELECT 'pg_class'::regclass, c.oid, a.attnum, c.relnamespace, a.attacl, c.relowner, 'c'
                FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid WHERE a.attacl IS NOT NULL
    UNION ALL SELECT 'pg_proc'::regclass, oid, 0, pronamespace, proacl, proowner, 'f' FROM pg_proc
               WHERE proacl IS NOT NULL
    UNION ALL SELECT 'pg_type'::regclass, oid, 0, typnamespace, typacl, typowner, 'T' FROM pg_type
               WHERE typacl IS NOT NULL
    UNION ALL SELECT 'pg_namespace'::regclass, oid, 0, oid, nspacl, nspowner, 'n' FROM pg_namespace
               WHERE nspacl IS NOT NULL
    UNION ALL SELECT 'pg_language'::regclass, oid, 0, NULL, lanacl, lanowner, 'l' FROM pg_language
               WHERE lanacl IS NOT NULL
    UNION ALL SELECT 'pg_foreign_data_wrapper'::regclass, oid, 0, NULL, fdwacl, fdwowner, 'F'
                FROM pg_foreign_data_wrapper WHERE fdwacl IS NOT NULL
    UNION ALL SELECT 'pg_foreign_server'::regclass, oid, 0, NULL, srvacl, srvowner, 'S' FROM pg_foreign_server
               WHERE srvacl IS NOT NULL
    UNION ALL SELECT 'pg_largeobject'::regclass, oid, 0, NULL, lomacl, lomowner, 'L' FROM pg_largeobject_metadata
               WHERE lomacl IS NOT NULL
), made AS (
    SELECT o.*, EXISTS (SELECT 1 FROM pg_depend e
                         WHERE e.classid = o.classid AND e.objid = o.objid AND e.deptype = 'e') AS member
      FROM acls o
)
SELECT 'privileges changed on ' || CASE WHEN m.member THEN 'an extension''s' ELSE 'a pg_catalog' END
       || ' object: ' || pg_describe_object(m.classid, m.objid, m.subid)
  FROM made m
  LEFT JOIN pg_init_privs i ON i.classoid = m.classid AND i.objoid = m.objid AND i.objsubid = m.subid
 WHERE (m.member OR m.objid < 16384 AND m.nsp = 'pg_catalog'::regnamespace)
   AND (SELECT array_agg(x::text ORDER BY x::text) FROM unnest(m.acl) x)
       IS DISTINCT FROM (SELECT array_agg(x::text ORDER BY x::text)
                           FROM unnest(coalesce(i.initprivs, acldefault(m.kind, m.owner))) x)
UNION ALL
SELECT DISTINCT 'privilege granted by a role other than its object''s owner: '
       || pg_describe_object(m.classid, m.objid, m.subid) || ' (grantor ' || quote_ident(r.rolname) || ')'
  FROM made m
 CROSS JOIN LATERAL aclexplode(m.acl) a
  JOIN pg_roles r ON r.oid = a.grantor
 WHERE NOT m.member AND m.objid >= 16384 AND a.grantor <> m.owner
