-- the event triggers that CREATE COLLATION fires even with session_replication_role = replica (16, which has no
-- event_triggers setting to turn them all off): enabled ALWAYS or REPLICA, on the commands' start or end
SELECT evtname
  FROM pg_event_trigger
 WHERE evtenabled IN ('A', 'R')
   AND evtevent IN ('ddl_command_start', 'ddl_command_end')
   AND (evttags IS NULL OR EXISTS (SELECT 1 FROM unnest(evttags) t WHERE upper(t) = 'CREATE COLLATION'))
