-- user databases, smallest first (the reference's order)
SELECT d.datname,
       CASE WHEN d.datallowconn THEN pg_database_size(d.oid) ELSE 0 END AS size_bytes,
       pg_get_userbyid(d.datdba) AS owner,
       pg_encoding_to_char(d.encoding) AS encoding,
       d.datcollate,
       d.datctype,
       d.datallowconn
  FROM pg_database d
 WHERE NOT d.datistemplate
 ORDER BY 2, 1
