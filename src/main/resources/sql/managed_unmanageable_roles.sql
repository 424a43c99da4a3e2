-- The roles of the JSON array (the parameter: the source's, but the login and the target's bootstrap superuser) that
-- exist on the target already and that its login, not a superuser, cannot alter nor grant itself: a superuser, or
-- from 16 on a role it holds no ADMIN OPTION on (CREATEROLE gives it only on the roles it creates).
SELECT quote_ident(r.rolname)
  FROM json_array_elements_text(?::json) AS n(name)
  JOIN pg_roles r ON r.rolname = n.name
 WHERE r.rolname <> current_user
   AND (r.rolsuper
        OR current_setting('server_version_num')::int >= 160000
           AND NOT EXISTS (SELECT 1 FROM pg_auth_members m
                            WHERE m.roleid = r.oid AND m.member = (SELECT oid FROM pg_roles WHERE rolname = current_user)
                              AND m.admin_option))
 ORDER BY r.rolname
