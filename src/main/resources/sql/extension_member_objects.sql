-- The objects extensions made (9.6+), with what their privileges are compared and granted by: their kind and name
-- as the verification writes them, their ACL, the kind's default one and their owner, and what GRANT ... ON takes
-- (with the column of a column's privilege; ON FUNCTION takes an aggregate but not a procedure, whose prokind is
-- read through to_jsonb: a 9.6 or 10 pg_proc has none). The start of schema_extension_privileges.sql and
-- extension_default_grants.sql, which go on with their own CTEs. Read with an empty search_path.
WITH member AS (
    SELECT quote_ident(e.extname) AS ext, d.classid, d.objid
      FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
     WHERE d.deptype = 'e' AND d.refclassid = 'pg_extension'::regclass
), object AS (
    SELECT m.ext, m.classid, m.objid, 0 AS subid, CASE WHEN c.relkind = 'S' THEN 'sequence' ELSE 'relation' END AS kind,
           format('%I.%I', n.nspname, c.relname) AS name, c.relacl AS acl,
           acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char", c.relowner) AS dflt,
           c.relowner AS owner,
           CASE WHEN c.relkind = 'S' THEN 'SEQUENCE ' ELSE 'TABLE ' END || format('%I.%I', n.nspname, c.relname)
               AS grant_on, NULL AS col
      FROM member m JOIN pg_class c ON c.oid = m.objid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE m.classid = 'pg_class'::regclass AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
    UNION ALL
    SELECT m.ext, m.classid, m.objid, a.attnum, 'column', format('%I.%I.%I', n.nspname, c.relname, a.attname),
           a.attacl, '{}', c.relowner, 'TABLE ' || format('%I.%I', n.nspname, c.relname), quote_ident(a.attname)
      FROM member m JOIN pg_class c ON c.oid = m.objid JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     WHERE m.classid = 'pg_class'::regclass AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
    UNION ALL
    SELECT m.ext, m.classid, m.objid, 0, 'function',
           format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)), p.proacl,
           acldefault('f', p.proowner), p.proowner,
           CASE WHEN to_jsonb(p) ->> 'prokind' = 'p' THEN 'PROCEDURE ' ELSE 'FUNCTION ' END -- prokind: 11+
               || format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)), NULL
      FROM member m JOIN pg_proc p ON p.oid = m.objid JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE m.classid = 'pg_proc'::regclass
    UNION ALL
    SELECT m.ext, m.classid, m.objid, 0, 'type', format('%I.%I', n.nspname, t.typname), t.typacl,
           acldefault('T', t.typowner), t.typowner, 'TYPE ' || format('%I.%I', n.nspname, t.typname), NULL
      FROM member m JOIN pg_type t ON t.oid = m.objid JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE m.classid = 'pg_type'::regclass
    UNION ALL
    SELECT m.ext, m.classid, m.objid, 0, 'schema', quote_ident(n.nspname), n.nspacl, acldefault('n', n.nspowner),
           n.nspowner, 'SCHEMA ' || quote_ident(n.nspname), NULL
      FROM member m JOIN pg_namespace n ON n.oid = m.objid
     WHERE m.classid = 'pg_namespace'::regclass
    UNION ALL
    SELECT m.ext, m.classid, m.objid, 0, 'language', quote_ident(l.lanname), l.lanacl, acldefault('l', l.lanowner),
           l.lanowner, 'LANGUAGE ' || quote_ident(l.lanname), NULL
      FROM member m JOIN pg_language l ON l.oid = m.objid
     WHERE m.classid = 'pg_language'::regclass
    UNION ALL
    SELECT m.ext, m.classid, m.objid, 0, 'foreign data wrapper', quote_ident(w.fdwname), w.fdwacl,
           acldefault('F', w.fdwowner), w.fdwowner, 'FOREIGN DATA WRAPPER ' || quote_ident(w.fdwname), NULL
      FROM member m JOIN pg_foreign_data_wrapper w ON w.oid = m.objid
     WHERE m.classid = 'pg_foreign_data_wrapper'::regclass
    UNION ALL
    SELECT m.ext, m.classid, m.objid, 0, 'foreign server', quote_ident(s.srvname), s.srvacl,
           acldefault('S', s.srvowner), s.srvowner, 'FOREIGN SERVER ' || quote_ident(s.srvname), NULL
      FROM member m JOIN pg_foreign_server s ON s.oid = m.objid
     WHERE m.classid = 'pg_foreign_server'::regclass
