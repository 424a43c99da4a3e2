-- whether the login is a superuser
SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user
