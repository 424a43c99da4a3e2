-- every role's name
SELECT rolname FROM pg_roles
