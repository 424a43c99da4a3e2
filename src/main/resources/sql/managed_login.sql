-- The target login's CREATEROLE and CREATEDB, which a login that is not a superuser needs to migrate roles and
-- databases.
SELECT rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user
