-- what a type is made of, for the checksum of its values: f float, g geometric (floats inside: taken by its binary
-- send function), d domain (inner: its base type), c composite (its fields: composite_fields), r range (inner: its
-- subtype), a array (inner: its element type), else b
SELECT CASE WHEN t.oid IN ('float4'::regtype, 'float8'::regtype) THEN 'f'
            WHEN t.oid IN ('point'::regtype, 'lseg'::regtype, 'line'::regtype, 'box'::regtype, 'path'::regtype,
                           'polygon'::regtype, 'circle'::regtype) THEN 'g'
            WHEN t.typtype = 'd' THEN 'd'
            WHEN t.typtype = 'c' THEN 'c'
            WHEN t.typtype = 'r' THEN 'r'
            WHEN t.typcategory = 'A' AND t.typelem <> 0 AND t.typlen = -1 THEN 'a'
            ELSE 'b' END AS kind,
       format_type(t.oid, NULL) AS name,
       t.typsend::regproc::text AS send,
       CASE t.typtype WHEN 'd' THEN t.typbasetype
                      WHEN 'r' THEN (SELECT r.rngsubtype FROM pg_range r WHERE r.rngtypid = t.oid)
                      ELSE t.typelem END AS inner_type,
       t.typrelid
  FROM pg_type t
 WHERE t.oid = ?::bigint::oid
