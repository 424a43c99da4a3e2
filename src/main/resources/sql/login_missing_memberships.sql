-- The roles of the JSON array (the parameter) that exist on the target and are no superuser, whose privileges the
-- current login lacks or cannot SET ROLE to (16+: the SET option; before 16 membership gives both): it needs both to
-- restore objects they own, give objects to them, grant as them and read their tables. With each, the INHERIT and
-- SET options of the grant the login already made itself (16+), which its GRANT changes rather than adds to (null:
-- none). Before 16 a role the login is a member of already is left out: granting it again changes nothing.
SELECT r.rolname, own.options ->> 'inherit_option', own.options ->> 'set_option'
  FROM json_array_elements_text(?::json) AS n(name)
  JOIN pg_roles r ON r.rolname = n.name
  LEFT JOIN LATERAL (SELECT to_jsonb(m) AS options
                       FROM pg_auth_members m
                      WHERE m.roleid = r.oid AND m.member = (SELECT oid FROM pg_roles WHERE rolname = current_user)
                        AND (m.grantor = m.member OR current_setting('server_version_num')::int < 160000)) own
    ON true
 WHERE NOT r.rolsuper AND r.rolname <> current_user AND r.rolname !~ '^pg_'
   AND NOT (pg_has_role(current_user, r.oid, 'USAGE')
            AND pg_has_role(current_user, r.oid, CASE WHEN current_setting('server_version_num')::int >= 160000
                                                      THEN 'SET' ELSE 'MEMBER' END))
   AND (own.options IS NULL OR current_setting('server_version_num')::int >= 160000)
 ORDER BY r.rolname
