-- The extensions a role that is not a superuser may create here (13+: trusted, in the control file of the version
-- CREATE EXTENSION installs without VERSION, as pg_dump writes it). Read through to_jsonb: before 13 there is none.
SELECT a.name
  FROM pg_catalog.pg_available_extensions a
  JOIN pg_catalog.pg_available_extension_versions v ON v.name = a.name AND v.version = a.default_version
 WHERE coalesce((to_jsonb(v) ->> 'trusted')::boolean, false)
