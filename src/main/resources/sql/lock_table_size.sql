-- one row: max_locks_per_transaction and the server processes and prepared transactions the shared lock table is
-- sized for (it holds max_locks_per_transaction for each): client connections, autovacuum workers and launcher,
-- background workers, and from 12 on the WAL senders, which 9.6 to 11 count among the connections
SELECT current_setting('max_locks_per_transaction')::int AS per_transaction,
       current_setting('max_connections')::int + current_setting('max_prepared_transactions')::int
         + current_setting('autovacuum_max_workers')::int + 1 + current_setting('max_worker_processes')::int
         + CASE WHEN current_setting('server_version_num')::int >= 120000
                THEN current_setting('max_wal_senders')::int ELSE 0 END AS processes
