-- Target 15+: whether the current login, not a superuser, may set the parameter (the first and second parameters,
-- both its name) in ALTER ROLE/DATABASE ... SET: a setting of the user context, or one granted SET on.
SELECT coalesce((SELECT context = 'user' FROM pg_settings WHERE name = ?), false) OR has_parameter_privilege(?, 'SET')
