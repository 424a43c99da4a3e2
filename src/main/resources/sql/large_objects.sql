-- large objects: how many, who owns them, their privileges, and one digest of all their contents (oids are kept)
SELECT 'large objects', 'all',
       concat_ws(' ', 'count=' || count(*),
                 'owners=' || string_agg(DISTINCT pg_get_userbyid(m.lomowner), ','),
                 'acl=' || md5(string_agg(coalesce(m.lomacl::text, ''), ',' ORDER BY m.oid)),
                 'content=' || md5(string_agg(md5(lo_get(m.oid)), '' ORDER BY m.oid)))
  FROM pg_largeobject_metadata m
