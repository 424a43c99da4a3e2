-- stream mode: the large objects of one batch (oids from, to): owner, comment and the first bytes (up to the chunk size) of content
SELECT m.oid::bigint, pg_catalog.pg_get_userbyid(m.lomowner), pg_catalog.obj_description(m.oid, 'pg_largeobject'),
       pg_catalog.lo_get(m.oid, 0, ?)
  FROM pg_catalog.pg_largeobject_metadata m
 WHERE m.oid BETWEEN ?::bigint::oid AND ?::bigint::oid
 ORDER BY m.oid
