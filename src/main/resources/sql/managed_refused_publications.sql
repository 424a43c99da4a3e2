-- Sources 10+: what of the current database a target login that is not a superuser cannot restore besides
-- managed_refused_objects: publications FOR ALL TABLES and subscriptions (both need a superuser; a subscription,
-- from 16 on, pg_create_subscription too).
SELECT 'publication FOR ALL TABLES: ' || quote_ident(pubname) FROM pg_publication WHERE puballtables
UNION ALL
SELECT 'subscription: ' || quote_ident(s.subname) FROM pg_subscription s
 WHERE s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())
