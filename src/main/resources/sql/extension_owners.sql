-- The extensions of the current database that pg_dump writes (not those initdb made: plpgsql), with their owner, which
-- pg_dump does not carry: pg_restore --list names an extension by pg_extension's oid (3079) and its own. Whether the
-- owner could create it: as a superuser, or (a trusted extension, 13+) with CREATE on the database.
SELECT e.oid, quote_ident(e.extname) AS extension, e.extname AS name, r.rolname AS owner, r.rolsuper AS superuser,
       has_database_privilege(r.oid, current_database(), 'CREATE') AS can_create
  FROM pg_extension e
  JOIN pg_roles r ON r.oid = e.extowner
 WHERE e.oid >= 16384
 ORDER BY e.oid
