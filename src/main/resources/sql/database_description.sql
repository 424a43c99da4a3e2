SELECT pg_encoding_to_char(d.encoding) AS encoding, d.datcollate, d.datctype, pg_get_userbyid(d.datdba) AS owner,
       to_jsonb(d) ->> 'datlocprovider' AS locale_provider,
       coalesce(to_jsonb(d) ->> 'datlocale', to_jsonb(d) ->> 'daticulocale') AS icu_locale
  FROM pg_database d
 WHERE d.datname = ?
