-- The privileges of the objects extensions made (9.6+: pg_init_privs), where they differ from those the extension
-- made them with: what pg_dump carries for them after CREATE EXTENSION. One row per changed object or column, as the
-- aclitems granted and revoked since (compared item by item, NULL read as the kind's default, as pg_dump does), so a
-- faithful migration compares equal even where the target's version of the extension starts from other privileges.
-- An extension only one side has shows as such (schema_catalog.sql) and, here, with the objects it changed there.
-- A 9.5 source has no such rows, nor does pg_dump carry any from it.
-- The object's owner is written (owner) where it grants or is granted: an extension's objects belong to the role that
-- ran CREATE EXTENSION (plpgsql's to the bootstrap superuser, from template0), which pg_dump does not carry, so on a
-- target whose bootstrap superuser or login has another name the owner's own grants name another role.
WITH member AS (
    SELECT quote_ident(e.extname) AS ext, d.classid, d.objid
      FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
     WHERE d.deptype = 'e' AND d.refclassid = 'pg_extension'::regclass
), object AS (
    SELECT m.ext, m.classid, m.objid, 0 AS subid, CASE WHEN c.relkind = 'S' THEN 'sequence' ELSE 'relation' END AS kind,
           format('%I.%I', n.nspname, c.relname) AS name, c.relacl AS acl,
           acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char", c.relowner) AS dflt,
           c.relowner AS owner
      FROM member m JOIN pg_class c ON c.oid = m.objid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE m.classid = 'pg_class'::regclass AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
    UNION ALL
    SELECT m.ext, m.classid, m.objid, a.attnum, 'column', format('%I.%I.%I', n.nspname, c.relname, a.attname),
           a.attacl, '{}', c.relowner
      FROM member m JOIN pg_class c ON c.oid = m.objid JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     WHERE m.classid = 'pg_class'::regclass AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
    UNION ALL
    SELECT m.ext, m.classid, m.objid, 0, 'function',
           format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)), p.proacl,
           acldefault('f', p.proowner), p.proowner
      FROM member m JOIN pg_proc p ON p.oid = m.objid JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE m.classid = 'pg_proc'::regclass
    UNION ALL
    SELECT m.ext, m.classid, m.objid, 0, 'type', format('%I.%I', n.nspname, t.typname), t.typacl,
           acldefault('T', t.typowner), t.typowner
      FROM member m JOIN pg_type t ON t.oid = m.objid JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE m.classid = 'pg_type'::regclass
    UNION ALL
    SELECT m.ext, m.classid, m.objid, 0, 'schema', quote_ident(n.nspname), n.nspacl, acldefault('n', n.nspowner),
           n.nspowner
      FROM member m JOIN pg_namespace n ON n.oid = m.objid
     WHERE m.classid = 'pg_namespace'::regclass
    UNION ALL
    SELECT m.ext, m.classid, m.objid, 0, 'language', quote_ident(l.lanname), l.lanacl, acldefault('l', l.lanowner),
           l.lanowner
      FROM member m JOIN pg_language l ON l.oid = m.objid
     WHERE m.classid = 'pg_language'::regclass
    UNION ALL
    SELECT m.ext, m.classid, m.objid, 0, 'foreign data wrapper', quote_ident(w.fdwname), w.fdwacl,
           acldefault('F', w.fdwowner), w.fdwowner
      FROM member m JOIN pg_foreign_data_wrapper w ON w.oid = m.objid
     WHERE m.classid = 'pg_foreign_data_wrapper'::regclass
    UNION ALL
    SELECT m.ext, m.classid, m.objid, 0, 'foreign server', quote_ident(s.srvname), s.srvacl,
           acldefault('S', s.srvowner), s.srvowner
      FROM member m JOIN pg_foreign_server s ON s.oid = m.objid
     WHERE m.classid = 'pg_foreign_server'::regclass
), compared AS (
    SELECT o.ext, o.kind, o.name, coalesce(o.acl, o.dflt) AS acl, coalesce(i.initprivs, o.dflt) AS initial,
           left(d.item, (length(d.item) - 4) / 2) AS owner -- as aclitem output writes it: acldefault is {name=UC/name}
      FROM object o
      LEFT JOIN pg_init_privs i
        ON i.classoid = o.classid AND i.objoid = o.objid AND i.objsubid = o.subid AND i.privtype = 'e'
      CROSS JOIN LATERAL (SELECT (acldefault('n', o.owner))[1]::text AS item) d
), written AS (
    SELECT c.ext, c.kind, c.name, a.change, g.item
      FROM compared c
      CROSS JOIN LATERAL (SELECT 'granted' AS change, x FROM unnest(c.acl) x WHERE NOT x = ANY (c.initial)
                          UNION ALL
                          SELECT 'revoked', x FROM unnest(c.initial) x WHERE NOT x = ANY (c.acl)) a
      CROSS JOIN LATERAL (SELECT CASE WHEN left(x, length(c.owner) + 1) = c.owner || '='
                                      THEN '(owner)' || substr(x, length(c.owner) + 1) ELSE x END AS grantee
                            FROM (SELECT a.x::text AS x) t) e
      CROSS JOIN LATERAL (SELECT CASE WHEN right(e.grantee, length(c.owner) + 1) = '/' || c.owner
                                      THEN left(e.grantee, -length(c.owner)) || '(owner)' ELSE e.grantee END AS item) g
)
SELECT 'extension object privileges', ext || ': ' || kind || ' ' || name,
       concat_ws(' ', 'granted=' || (array_agg(item ORDER BY item) FILTER (WHERE change = 'granted'))::text,
                 'revoked=' || (array_agg(item ORDER BY item) FILTER (WHERE change = 'revoked'))::text)
  FROM written
 GROUP BY ext, kind, name
