-- A description of a database's objects, one row per object: (kind, name, definition), comparable between
-- servers of different versions (9.6 to 18). Columns that only some versions have are read through to_jsonb(row).
-- System schemas and objects that belong to an extension are left out.
WITH user_ns AS (
    SELECT oid, nspname FROM pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema'
), ext AS (
    SELECT classid, objid FROM pg_depend WHERE deptype = 'e'
)
SELECT 'schema' AS kind, quote_ident(n.nspname) AS name,
       concat_ws(' ', 'owner=' || pg_get_userbyid(ns.nspowner), 'acl=' || ns.nspacl::text,
                 'comment=' || obj_description(ns.oid, 'pg_namespace')) AS definition
  FROM user_ns n JOIN pg_namespace ns ON ns.oid = n.oid
 WHERE NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_namespace'::regclass AND objid = n.oid)
UNION ALL
SELECT 'relation', format('%I.%I', n.nspname, c.relname),
       concat_ws(' ', 'kind=' || c.relkind::text, 'persistence=' || c.relpersistence::text,
                 'owner=' || pg_get_userbyid(c.relowner), 'options=' || c.reloptions::text,
                 'acl=' || c.relacl::text, 'rls=' || c.relrowsecurity, 'force_rls=' || c.relforcerowsecurity,
                 'populated=' || CASE WHEN c.relkind = 'm' THEN c.relispopulated END,
                 'comment=' || obj_description(c.oid, 'pg_class'))
  FROM pg_class c JOIN user_ns n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'c')
   AND NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_class'::regclass AND objid = c.oid)
UNION ALL
SELECT 'column', format('%I.%I.%I', n.nspname, c.relname, a.attname),
       concat_ws(' ', format_type(a.atttypid, a.atttypmod), CASE WHEN a.attnotnull THEN 'not null' END,
                 'default=' || pg_get_expr(d.adbin, d.adrelid),
                 'identity=' || nullif(to_jsonb(a) ->> 'attidentity', ''),
                 'generated=' || nullif(to_jsonb(a) ->> 'attgenerated', ''),
                 'collation=' || (SELECT format('%I.%I', cn.nspname, co.collname)
                                    FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace
                                   WHERE co.oid = a.attcollation
                                     AND a.attcollation <> (SELECT typcollation FROM pg_type WHERE oid = a.atttypid)),
                 'acl=' || a.attacl::text, 'comment=' || col_description(c.oid, a.attnum))
  FROM pg_attribute a
  JOIN pg_class c ON c.oid = a.attrelid
  JOIN user_ns n ON n.oid = c.relnamespace
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
 WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'c')
   AND NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_class'::regclass AND objid = c.oid)
UNION ALL
SELECT 'index', format('%I.%I', n.nspname, ci.relname), pg_get_indexdef(i.indexrelid)
  FROM pg_index i
  JOIN pg_class ci ON ci.oid = i.indexrelid
  JOIN user_ns n ON n.oid = ci.relnamespace
 WHERE NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_class'::regclass AND objid = i.indrelid)
UNION ALL
SELECT 'constraint', format('%I.%I.%I', n.nspname, coalesce(c.relname, t.typname), co.conname),
       co.contype::text || ' ' || pg_get_constraintdef(co.oid)
  FROM pg_constraint co
  JOIN user_ns n ON n.oid = co.connamespace
  LEFT JOIN pg_class c ON c.oid = co.conrelid
  LEFT JOIN pg_type t ON t.oid = co.contypid
 WHERE co.contype::text <> 'n' -- 18 lists NOT NULL here too; the column's description already has it
   AND NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_class'::regclass AND objid = co.conrelid)
   AND NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_type'::regclass AND objid = co.contypid)
UNION ALL
SELECT 'view', format('%I.%I', n.nspname, c.relname), pg_get_viewdef(c.oid)
  FROM pg_class c JOIN user_ns n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('v', 'm')
   AND NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_class'::regclass AND objid = c.oid)
UNION ALL
SELECT 'function', format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)),
       concat_ws(' ', 'returns=' || pg_get_function_result(p.oid), 'language=' || l.lanname,
                 'volatility=' || p.provolatile::text, 'security_definer=' || p.prosecdef, 'strict=' || p.proisstrict,
                 'owner=' || pg_get_userbyid(p.proowner), 'acl=' || p.proacl::text,
                 'config=' || p.proconfig::text,
                 'body=' || md5(p.prosrc), -- empty for a SQL-standard body (14+): see schema_function_bodies.sql
                 'comment=' || obj_description(p.oid, 'pg_proc'))
  FROM pg_proc p JOIN user_ns n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
 WHERE NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_proc'::regclass AND objid = p.oid)
   -- functions a type made for itself (range and, from 14, multirange constructors)
   AND NOT EXISTS (SELECT 1 FROM pg_depend WHERE classid = 'pg_proc'::regclass AND objid = p.oid AND deptype = 'i')
UNION ALL
SELECT 'trigger', format('%I.%I.%I', n.nspname, c.relname, t.tgname),
       'enabled=' || t.tgenabled::text || ' ' || pg_get_triggerdef(t.oid)
  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN user_ns n ON n.oid = c.relnamespace
 WHERE NOT t.tgisinternal
UNION ALL
SELECT 'type', format('%I.%I', n.nspname, t.typname),
       concat_ws(' ', 'kind=' || t.typtype::text, 'owner=' || pg_get_userbyid(t.typowner), 'acl=' || t.typacl::text,
                 'labels=' || (SELECT string_agg(quote_literal(e.enumlabel), ',' ORDER BY e.enumsortorder)
                                 FROM pg_enum e WHERE e.enumtypid = t.oid),
                 'base=' || CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END,
                 CASE WHEN t.typtype = 'd' AND t.typnotnull THEN 'not null' END,
                 'default=' || t.typdefault,
                 'subtype=' || (SELECT format_type(r.rngsubtype, NULL) FROM pg_range r WHERE r.rngtypid = t.oid),
                 'comment=' || obj_description(t.oid, 'pg_type'))
  FROM pg_type t JOIN user_ns n ON n.oid = t.typnamespace
 WHERE (t.typtype IN ('e', 'd', 'r')
        OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
   AND NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_type'::regclass AND objid = t.oid)
UNION ALL
SELECT 'extension', quote_ident(e.extname), 'schema=' || e.extnamespace::regnamespace::text
  FROM pg_extension e
UNION ALL
SELECT 'policy', format('%I.%I.%I', n.nspname, c.relname, p.polname),
       concat_ws(' ', 'command=' || p.polcmd::text, 'permissive=' || coalesce(to_jsonb(p) ->> 'polpermissive', 'true'),
                 'roles=' || (SELECT string_agg(n, ',' ORDER BY n)
                                FROM (SELECT CASE WHEN r = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(r)::text END AS n
                                        FROM unnest(p.polroles) r) rn),
                 'using=' || pg_get_expr(p.polqual, p.polrelid), 'check=' || pg_get_expr(p.polwithcheck, p.polrelid))
  FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN user_ns n ON n.oid = c.relnamespace
UNION ALL
SELECT 'default privileges',
       concat_ws(' ', 'for ' || pg_get_userbyid(d.defaclrole), 'in ' || quote_ident(n.nspname), 'on ' || d.defaclobjtype::text),
       d.defaclacl::text
  FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
UNION ALL
SELECT 'event trigger', quote_ident(e.evtname),
       concat_ws(' ', 'on=' || e.evtevent, 'function=' || e.evtfoid::regproc::text, 'enabled=' || e.evtenabled::text,
                 'tags=' || e.evttags::text)
  FROM pg_event_trigger e
