-- For a login that is not a superuser, which may not read a subscription's connection string (pg_subscription's
-- other columns are granted to PUBLIC): the subscriptions of the current database (10+), each said not compared.
SELECT 'subscription', quote_ident(s.subname),
       'not compared: only a superuser may read a subscription''s connection string'
  FROM pg_subscription s
 WHERE s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())
