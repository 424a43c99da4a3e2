-- The privileges of the objects extensions made (9.6+: pg_init_privs), where they differ from those the extension
-- made them with: what pg_dump carries for them after CREATE EXTENSION. One row per changed object or column, as the
-- aclitems granted and revoked since (compared item by item, NULL read as the kind's default, as pg_dump does), so a
-- faithful migration compares equal even where the target's version of the extension starts from other privileges.
-- An extension only one side has shows as such (schema_catalog.sql) and, here, with the objects it changed there.
-- A 9.5 source has no such rows, nor does pg_dump carry any from it. Goes on from extension_member_objects.sql.
-- An initial item granted to a role other than its grantor, PUBLIC or a predefined role (pg_*) is read as granted
-- since: no extension's script names such a role, so it came from the default privileges in force at CREATE
-- EXTENSION (ALTER DEFAULT PRIVILEGES of the role running the script), which pg_init_privs records as if the script
-- had granted it, so pg_dump does not carry it (extension_default_grants.sql grants it on the target).
-- The object's owner is written (owner) where it grants or is granted: an extension's objects belong to the role that
-- ran CREATE EXTENSION (plpgsql's to the bootstrap superuser, from template0), which pg_dump does not carry, so on a
-- target whose bootstrap superuser or login has another name the owner's own grants name another role.
), compared AS (
    SELECT o.ext, o.kind, o.name, coalesce(o.acl, o.dflt) AS acl,
           ARRAY(SELECT x FROM unnest(coalesce(i.initprivs, o.dflt)) x
                  WHERE NOT EXISTS (SELECT 1 FROM aclexplode(ARRAY[x]) a JOIN pg_roles r ON r.oid = a.grantee
                                     WHERE a.grantee <> a.grantor AND r.rolname !~ '^pg_')) AS initial,
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
