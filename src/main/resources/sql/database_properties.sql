-- database-level properties that CREATE DATABASE does not carry (pg_dump emits them only with --create)
SELECT d.datconnlimit,
       d.datistemplate,
       shobj_description(d.oid, 'pg_database') AS comment,
       d.datacl IS NOT NULL AS has_acl,
       t.spcname AS tablespace,
       to_jsonb(d) ->> 'datlocprovider' AS locale_provider,
       coalesce(to_jsonb(d) ->> 'datlocale', to_jsonb(d) ->> 'daticulocale') AS icu_locale,
       to_jsonb(d) ->> 'daticurules' AS icu_rules
  FROM pg_database d
  JOIN pg_tablespace t ON t.oid = d.dattablespace
 WHERE d.datname = ?
