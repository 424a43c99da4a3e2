-- The source's roles with an attribute that only a superuser can give (SUPERUSER, REPLICATION, BYPASSRLS), each with
-- those attributes, except the two roles the globals replay leaves alone: the target's login (first parameter) and
-- the target's bootstrap superuser (second).
SELECT quote_ident(rolname) || ' (' || concat_ws(', ', CASE WHEN rolsuper THEN 'SUPERUSER' END,
                                                 CASE WHEN rolreplication THEN 'REPLICATION' END,
                                                 CASE WHEN rolbypassrls THEN 'BYPASSRLS' END) || ')'
  FROM pg_roles
 WHERE (rolsuper OR rolreplication OR rolbypassrls) AND rolname !~ '^pg_' AND rolname <> ? AND rolname <> ?
 ORDER BY rolname
