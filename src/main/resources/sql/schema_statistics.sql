-- extended statistics (10+): the definition as the server prints it back, which leaves out the kinds when every kind
-- its version has is on (a target restored from an older source then has every kind of its own), and the statistics
-- target where it is set (13+: -1 when unset until 16, NULL from 17)
SELECT 'statistics', format('%I.%I', n.nspname, s.stxname),
       concat_ws(' ', pg_get_statisticsobjdef(s.oid), 'target=' || nullif(to_jsonb(s) ->> 'stxstattarget', '-1'),
                 'owner=' || pg_get_userbyid(s.stxowner), 'comment=' || obj_description(s.oid, 'pg_statistic_ext'))
  FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace
 WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
   AND NOT EXISTS (SELECT 1 FROM pg_depend
                    WHERE classid = 'pg_statistic_ext'::regclass AND objid = s.oid AND deptype = 'e')
