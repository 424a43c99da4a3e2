-- publications (10+)
SELECT 'publication', quote_ident(p.pubname),
       concat_ws(' ', 'all_tables=' || p.puballtables,
                 'tables=' || (SELECT string_agg(format('%I.%I', pt.schemaname, pt.tablename), ',' ORDER BY 1)
                                 FROM pg_publication_tables pt WHERE pt.pubname = p.pubname))
  FROM pg_publication p
