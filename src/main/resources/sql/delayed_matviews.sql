-- The populated materialized views that read the given tables, directly or through other views (plain or
-- materialized): a view's rule (pg_rewrite) depends on each relation its query reads. A table read through its
-- parent counts: the start is the given tables and every table they inherit from. Each view comes after the views
-- it reads (deepest path first), the order to refresh them in.
WITH RECURSIVE given AS (
    SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE (n.nspname, c.relname) IN (SELECT * FROM unnest(?::text[], ?::text[]))
), start(oid) AS (
    SELECT oid FROM given
    UNION
    SELECT i.inhparent FROM pg_inherits i JOIN start s ON s.oid = i.inhrelid
), reading(oid, depth) AS (
    SELECT r.ev_class, 1
      FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
     WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
       AND d.refobjid IN (SELECT oid FROM start) AND r.ev_class <> d.refobjid
    UNION
    SELECT r.ev_class, v.depth + 1
      FROM reading v
      JOIN pg_depend d ON d.refobjid = v.oid AND d.refclassid = 'pg_class'::regclass
                      AND d.classid = 'pg_rewrite'::regclass
      JOIN pg_rewrite r ON r.oid = d.objid
     WHERE r.ev_class <> v.oid
)
SELECT n.nspname AS schema, c.relname AS name
  FROM (SELECT oid, max(depth) AS depth FROM reading GROUP BY oid) v
  JOIN pg_class c ON c.oid = v.oid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind = 'm' AND c.relispopulated
 ORDER BY v.depth, 1, 2
