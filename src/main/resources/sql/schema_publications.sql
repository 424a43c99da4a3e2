-- publications (10+)
SELECT 'publication', quote_ident(p.pubname),
       concat_ws(' ', 'all_tables=' || p.puballtables,
                 'tables=' || (SELECT string_agg(t, ',' ORDER BY t)
                                 FROM (SELECT format('%I.%I', pt.schemaname, pt.tablename) AS t
                                         FROM pg_publication_tables pt WHERE pt.pubname = p.pubname) pt))
  FROM pg_publication p
