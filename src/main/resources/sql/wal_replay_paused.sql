-- 10 and newer, on a standby: whether its WAL replay is paused (nothing changes on it then)
SELECT pg_is_wal_replay_paused()
