-- roles, memberships and role settings, comparable between servers. A role's stored password (hash, or plain text
-- before 10) is not here: role_passwords reads it, for a superuser only, for the caller to compare by keyed digest;
-- it is never part of a definition. Each
-- row also names the role it belongs to (a membership: its member) and, for a membership, the role the member is in.
-- The parameter: whether both servers are 16 or later, so each membership grant is compared by grantor with its
-- INHERIT and SET options; otherwise one line per member and role, the options as a server before 16 has them (the
-- member's INHERIT attribute; SET always), which is what a 16+ target gives grants that name no options. A grant by
-- the bootstrap superuser (oid 10: every superuser's grant is recorded as its, from 16 on) names it as such, since
-- source and target may have been initdb'd under other names.
SELECT 'role' AS kind, quote_ident(a.rolname) AS name,
       concat_ws(' ', 'superuser=' || a.rolsuper, 'inherit=' || a.rolinherit, 'createrole=' || a.rolcreaterole,
                 'createdb=' || a.rolcreatedb, 'login=' || a.rolcanlogin, 'replication=' || a.rolreplication,
                 'bypassrls=' || coalesce(to_jsonb(a) ->> 'rolbypassrls', 'false'),
                 'connection_limit=' || a.rolconnlimit, 'valid_until=' || a.rolvaliduntil,
                 'comment=' || shobj_description(a.oid, 'pg_authid')) AS definition,
       quote_ident(a.rolname) AS role, NULL AS in_role
  FROM pg_roles a
 WHERE a.rolname !~ '^pg_'
UNION ALL
SELECT 'membership', quote_ident(r.rolname) || ' in ' || quote_ident(g.rolname),
       CASE WHEN ?::boolean
            THEN string_agg(concat_ws(' ', 'granted by ' || gl.grantor, 'admin=' || m.admin_option,
                                      'inherit=' || (to_jsonb(m) ->> 'inherit_option'),
                                      'set=' || (to_jsonb(m) ->> 'set_option')),
                            '; ' ORDER BY gl.grantor)
            ELSE concat_ws(' ', 'admin=' || bool_or(m.admin_option),
                           'inherit=' || bool_or(coalesce((to_jsonb(m) ->> 'inherit_option')::boolean, r.rolinherit)),
                           'set=' || bool_or(coalesce((to_jsonb(m) ->> 'set_option')::boolean, true)))
       END,
       quote_ident(r.rolname), quote_ident(g.rolname)
  FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member JOIN pg_roles g ON g.oid = m.roleid
  LEFT JOIN pg_roles gr ON gr.oid = m.grantor
 CROSS JOIN LATERAL (SELECT CASE WHEN m.grantor = 10 THEN '(bootstrap superuser)'
                                 ELSE quote_ident(gr.rolname) END AS grantor) gl
 WHERE r.rolname !~ '^pg_'
 GROUP BY r.rolname, r.rolinherit, g.rolname
UNION ALL
SELECT 'role setting', quote_ident(r.rolname), array_to_string(s.setconfig, ', '), quote_ident(r.rolname), NULL
  FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole
 WHERE s.setdatabase = 0
