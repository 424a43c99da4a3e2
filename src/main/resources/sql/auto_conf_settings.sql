-- values set earlier with ALTER SYSTEM (postgresql.auto.conf), so a revert can put them back instead of resetting
SELECT name, setting
  FROM pg_file_settings
 WHERE sourcefile LIKE '%postgresql.auto.conf'
   AND name = ANY (?)
 ORDER BY seqno
