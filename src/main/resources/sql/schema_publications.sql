-- publications (10+): what they publish and to which tables; an option a source's version lacks is off on a
-- target restored from it, so options are listed only when on (truncate: 11+, via_root: 13+, generated: 18+)
SELECT 'publication', quote_ident(p.pubname),
       concat_ws(' ', 'all_tables=' || p.puballtables, 'owner=' || pg_get_userbyid(p.pubowner),
                 'publish=' || concat_ws(',', CASE WHEN p.pubinsert THEN 'insert' END,
                                         CASE WHEN p.pubupdate THEN 'update' END,
                                         CASE WHEN p.pubdelete THEN 'delete' END,
                                         CASE WHEN to_jsonb(p) ->> 'pubtruncate' = 'true' THEN 'truncate' END),
                 CASE WHEN to_jsonb(p) ->> 'pubviaroot' = 'true' THEN 'via_root' END,
                 CASE WHEN to_jsonb(p) ->> 'pubgencols' = 's' THEN 'generated_columns=stored' END,
                 'tables=' || (SELECT string_agg(t, ',' ORDER BY t)
                                 FROM (SELECT format('%I.%I', pt.schemaname, pt.tablename) AS t
                                         FROM pg_publication_tables pt WHERE pt.pubname = p.pubname) pt))
  FROM pg_publication p
