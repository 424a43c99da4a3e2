-- The roles of the JSON array (the parameter) that exist on the target and are no superuser, whose privileges the
-- current login lacks or cannot SET ROLE to (16+: the SET option; before 16 membership gives both): it needs both to
-- restore objects they own, give objects to them, grant as them and read their tables.
SELECT r.rolname
  FROM json_array_elements_text(?::json) AS n(name)
  JOIN pg_roles r ON r.rolname = n.name
 WHERE NOT r.rolsuper AND r.rolname <> current_user AND r.rolname !~ '^pg_'
   AND NOT (pg_has_role(current_user, r.oid, 'USAGE')
            AND pg_has_role(current_user, r.oid, CASE WHEN current_setting('server_version_num')::int >= 160000
                                                      THEN 'SET' ELSE 'MEMBER' END))
 ORDER BY r.rolname
