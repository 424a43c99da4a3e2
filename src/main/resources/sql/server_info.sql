-- one row: the version, whether we are superuser, whether the server is a standby, and the free connection slots
SELECT current_setting('server_version_num')::int AS version_num,
       (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
       pg_is_in_recovery() AS in_recovery,
       current_setting('max_connections')::int AS max_connections,
       current_setting('superuser_reserved_connections')::int
         + coalesce((SELECT setting::int FROM pg_settings WHERE name = 'reserved_connections'), 0) AS reserved,
       -- client backends only: from 10 on pg_stat_activity also lists background processes
       (SELECT count(*) FROM pg_stat_activity a
         WHERE coalesce(to_jsonb(a) ->> 'backend_type', 'client backend') = 'client backend')::int AS in_use
