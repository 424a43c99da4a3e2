-- stream mode: sets the target's sequences to the values read on the source, as pg_dump's SEQUENCE SET entries do
-- (setval(name, last_value, is_called)); parameters: schemas, names, values, is_called, as arrays of one length.
SELECT count(pg_catalog.setval(pg_catalog.format('%I.%I', s, n)::pg_catalog.regclass, v, c))
  FROM unnest(?::text[], ?::text[], ?::bigint[], ?::boolean[]) AS x(s, n, v, c)
