-- Database "tiny_b": owned by postgres; a small table, an empty one, and a database ACL (only readers connect).
CREATE TABLE settings (
    key   text PRIMARY KEY,
    value text
);
INSERT INTO settings (key, value) VALUES ('theme', 'dark'), ('language', 'fr'), ('empty', NULL);
CREATE TABLE empty_table (
    id integer PRIMARY KEY
);
REVOKE CONNECT ON DATABASE tiny_b FROM PUBLIC;
GRANT CONNECT ON DATABASE tiny_b TO readers;
