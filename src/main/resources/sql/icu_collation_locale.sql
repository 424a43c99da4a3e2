-- the ICU locale of one collation (a regcollation name) as the server keeps it: 15-16 colliculocale, 17+ colllocale
SELECT coalesce(to_jsonb(c) ->> 'colllocale', to_jsonb(c) ->> 'colliculocale')
  FROM pg_collation c
 WHERE c.oid = ?::regcollation
