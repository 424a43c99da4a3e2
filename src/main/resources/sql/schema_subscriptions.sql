-- subscriptions of the current database (10+); whether they are enabled is left out: they arrive disabled
SELECT 'subscription', quote_ident(s.subname), 'publications=' || s.subpublications::text
  FROM pg_subscription s
 WHERE s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())
