SELECT count(pg_terminate_backend(pid))::int FROM pg_stat_activity
WHERE datname = ? AND application_name = ? AND pid <> pg_backend_pid()
