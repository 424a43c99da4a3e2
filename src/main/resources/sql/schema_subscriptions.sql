-- subscriptions of the current database (10+) with the options pg_dump carries, each listed only when it is not
-- what a version lacking it gets (binary and streaming: 14+, two_phase and disable_on_error: 15+, origin,
-- password_required and run_as_owner: 16+, failover: 17+; streaming is boolean before 16); whether they are enabled
-- is left out: they arrive disabled. The connection string can hold a password: it is compared by its md5 keyed with
-- a random salt (the parameter), as the roles' password hashes are in globals_catalog.sql.
SELECT 'subscription', quote_ident(s.subname),
       concat_ws(' ', 'publications=' || s.subpublications::text, 'owner=' || pg_get_userbyid(s.subowner),
                 'slot=' || coalesce(quote_ident(s.subslotname), 'NONE'),
                 'synchronous_commit=' || nullif(s.subsynccommit, 'off'),
                 CASE WHEN j ->> 'subbinary' = 'true' THEN 'binary' END,
                 'streaming=' || CASE j ->> 'substream' WHEN 'true' THEN 'on' WHEN 't' THEN 'on'
                                                        WHEN 'p' THEN 'parallel' END,
                 CASE WHEN coalesce(j ->> 'subtwophasestate', 'd') <> 'd' THEN 'two_phase' END,
                 CASE WHEN j ->> 'subdisableonerr' = 'true' THEN 'disable_on_error' END,
                 'origin=' || nullif(j ->> 'suborigin', 'any'),
                 CASE WHEN j ->> 'subpasswordrequired' = 'false' THEN 'password_required=false' END,
                 CASE WHEN j ->> 'subrunasowner' = 'true' THEN 'run_as_owner' END,
                 CASE WHEN j ->> 'subfailover' = 'true' THEN 'failover' END,
                 'connection_digest=' || md5(?::text || s.subconninfo))
  FROM pg_subscription s, to_jsonb(s) j
 WHERE s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())
