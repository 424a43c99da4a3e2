-- Whether a table still has the file its catalog row names in the transaction's snapshot: TRUNCATE, VACUUM FULL,
-- CLUSTER and the rewriting forms of ALTER TABLE give it a new one. pg_class is read in the snapshot,
-- pg_relation_filenode() from the current catalog. The parameter: the table's quoted name.
SELECT c.relfilenode = pg_catalog.pg_relation_filenode(c.oid)
FROM pg_catalog.pg_class c
WHERE c.oid = ?::pg_catalog.regclass
