-- the version alone, readable on any server (server_info.sql needs 9.5+)
SELECT current_setting('server_version_num')::int
