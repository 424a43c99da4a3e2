-- The disabled subscriptions of one database (pg_subscription is shared, PostgreSQL 10+; these columns are readable
-- by every role).
SELECT s.subname FROM pg_catalog.pg_subscription s JOIN pg_catalog.pg_database d ON d.oid = s.subdbid
WHERE d.datname = ? AND NOT s.subenabled ORDER BY 1
