-- stream mode: the tables whose rows it copies (the leaf tables list_tables counts), largest first, each with the
-- columns COPY moves (dropped and generated columns left out, in column order) and which binary form they have:
-- 'never' when one is of a reg* type (its binary form is an oid of the source, its text form a name), 'built_in'
-- when every one is of a built-in type (oid below 16384, so array element and composite type oids agree) with
-- send/receive functions, the others 'user_types'.
-- split_key: the column of a single-column primary key of type smallint, integer or bigint (a big table can be
-- copied in key ranges), else null. blocks: the size of its main fork in blocks, now (a size has no snapshot).
-- {generated} is "a.attgenerated <> ''" from PostgreSQL 12 on, "false" before.
SELECT n.nspname, c.relname, pg_table_size(c.oid) AS bytes,
       coalesce(array_agg(a.attname::text ORDER BY a.attnum) FILTER (WHERE a.attnum IS NOT NULL), '{}') AS columns,
       CASE WHEN bool_or(t.oid < 16384 AND t.typname ~ '^_?reg') THEN 'never'
            WHEN coalesce(bool_and(t.oid < 16384 AND t.typsend::oid <> 0 AND t.typreceive::oid <> 0)
                          FILTER (WHERE a.attnum IS NOT NULL), true) THEN 'built_in'
            ELSE 'user_types' END AS binary_form,
       (SELECT k.attname::text
          FROM pg_index i
          JOIN pg_attribute k ON k.attrelid = i.indrelid AND k.attnum = i.indkey[0]
         WHERE i.indrelid = c.oid AND i.indisprimary AND i.indnatts = 1
           AND k.atttypid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype)) AS split_key,
       pg_relation_size(c.oid) / current_setting('block_size')::bigint AS blocks
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND NOT ({generated})
  LEFT JOIN pg_type t ON t.oid = a.atttypid
 WHERE c.relkind = 'r'
   AND n.nspname <> 'information_schema'
   AND n.nspname !~ '^pg_'
   AND NOT EXISTS (SELECT 1 FROM pg_depend d
                    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
 GROUP BY c.oid, n.nspname, c.relname
 ORDER BY bytes DESC, 1, 2
