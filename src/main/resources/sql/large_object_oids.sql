-- stream mode: every large object of the database, in oid order (the copy cuts this list into batches)
SELECT m.oid::bigint FROM pg_catalog.pg_largeobject_metadata m ORDER BY m.oid
