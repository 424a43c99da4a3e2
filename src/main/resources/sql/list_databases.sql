-- user databases, smallest first (the reference's order); a database marked IS_TEMPLATE is one too, but not the
-- server's own templates
SELECT d.datname,
       CASE WHEN d.datallowconn THEN pg_database_size(d.oid) ELSE 0 END AS size_bytes,
       pg_get_userbyid(d.datdba) AS owner,
       pg_encoding_to_char(d.encoding) AS encoding,
       d.datcollate,
       d.datctype,
       d.datallowconn,
       t.spcname AS tablespace,
       coalesce(to_jsonb(d) ->> 'datlocprovider', 'c') AS locale_provider,
       coalesce(to_jsonb(d) ->> 'datlocale', to_jsonb(d) ->> 'daticulocale') AS icu_locale,
       to_jsonb(d) ->> 'daticurules' AS icu_rules
  FROM pg_database d
  JOIN pg_tablespace t ON t.oid = d.dattablespace
 WHERE d.datname NOT IN ('template0', 'template1')
 ORDER BY 2, 1
