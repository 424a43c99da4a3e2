-- The subscriptions of one database whose streaming is off: false before 16, 'f' from 16, and every subscription
-- before 14, which had no streaming (pg_subscription is shared, PostgreSQL 10+).
SELECT s.subname
  FROM pg_catalog.pg_subscription s JOIN pg_catalog.pg_database d ON d.oid = s.subdbid,
       to_jsonb(s) j
 WHERE d.datname = ? AND coalesce(j ->> 'substream', 'false') IN ('false', 'f')
 ORDER BY 1
