-- large objects: how many, who owns them (and a digest of each one's owner), their privileges, their comments, and
-- one digest of all their contents (oids are kept)
SELECT 'large objects', 'all',
       concat_ws(' ', 'count=' || count(*),
                 'owners=' || string_agg(DISTINCT pg_get_userbyid(m.lomowner), ','),
                 'owner_of_each=' || md5(string_agg(pg_get_userbyid(m.lomowner), ',' ORDER BY m.oid)),
                 'acl=' || md5(string_agg(coalesce(m.lomacl::text, ''), ',' ORDER BY m.oid)),
                 'comments=' || md5(string_agg(coalesce(obj_description(m.oid, 'pg_largeobject'), ''), ','
                                               ORDER BY m.oid)),
                 'content=' || md5(string_agg(md5(lo_get(m.oid)), '' ORDER BY m.oid)))
  FROM pg_largeobject_metadata m
