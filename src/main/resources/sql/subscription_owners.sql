-- the owners of the current database's subscriptions (PostgreSQL 10+): pg_subscription is shared, so pg_shdepend
-- records them under no database (database_roles.sql)
SELECT r.rolname
  FROM pg_catalog.pg_subscription s
  JOIN pg_catalog.pg_roles r ON r.oid = s.subowner
 WHERE s.subdbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
