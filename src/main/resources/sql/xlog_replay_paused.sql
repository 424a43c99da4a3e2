-- before 10, on a standby: whether its WAL replay is paused (nothing changes on it then)
SELECT pg_is_xlog_replay_paused()
