-- publications (15+): the schemas they publish whole, and the tables they publish with a row filter or a column list
SELECT 'publication schema', format('%I %I', p.pubname, n.nspname), 'published'
  FROM pg_publication_namespace pn
  JOIN pg_publication p ON p.oid = pn.pnpubid
  JOIN pg_namespace n ON n.oid = pn.pnnspid
UNION ALL
SELECT 'publication table', format('%I %I.%I', p.pubname, n.nspname, c.relname),
       concat_ws(' ', 'where=' || pg_get_expr(r.prqual, r.prrelid),
                 'columns=' || (SELECT string_agg(quote_ident(a.attname), ',' ORDER BY a.attnum)
                                  FROM pg_attribute a WHERE a.attrelid = r.prrelid AND a.attnum = ANY (r.prattrs)))
  FROM pg_publication_rel r
  JOIN pg_publication p ON p.oid = r.prpubid
  JOIN pg_class c ON c.oid = r.prrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE r.prqual IS NOT NULL OR r.prattrs IS NOT NULL
