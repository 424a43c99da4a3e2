-- the subscriptions of the current database (PostgreSQL 10+): DROP DATABASE refuses a database that has any
SELECT s.subname FROM pg_catalog.pg_subscription s
 WHERE s.subdbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
 ORDER BY 1
