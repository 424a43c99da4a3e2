-- large objects: how many, who owns them (and a digest of each one's owner), their privileges (each ACL's items
-- sorted: they are a set, which a restore can list in another order; NULL, the default, is not {}), their comments, and
-- one digest of all their contents (oids are kept), each object's read 1 MB at a time (lo_get of a whole object
-- fails from 1 GB on: a bytea holds less)
SELECT 'large objects', 'all',
       concat_ws(' ', 'count=' || count(*),
                 'owners=' || string_agg(DISTINCT pg_get_userbyid(m.lomowner), ','),
                 'owner_of_each=' || md5(string_agg(pg_get_userbyid(m.lomowner), ',' ORDER BY m.oid)),
                 'acl=' || md5(string_agg(coalesce(CASE WHEN m.lomacl IS NOT NULL THEN ARRAY(
                                               SELECT x FROM unnest(m.lomacl) x ORDER BY x::text COLLATE "C")::text END,
                                           ''), ',' ORDER BY m.oid)),
                 'comments=' || md5(string_agg(coalesce(obj_description(m.oid, 'pg_largeobject'), ''), ','
                                               ORDER BY m.oid)),
                 'content=' || md5(string_agg(
                     (WITH RECURSIVE part (pos, bytes) AS (
                          SELECT 0::bigint, lo_get(m.oid, 0, 1048576)
                          UNION ALL
                          SELECT pos + 1048576, lo_get(m.oid, pos + 1048576, 1048576) FROM part
                           WHERE length(bytes) = 1048576)
                      SELECT md5(string_agg(md5(bytes), '' ORDER BY pos)) FROM part), '' ORDER BY m.oid)))
  FROM pg_largeobject_metadata m
