-- 14 and newer: multiranges, SQL-standard function bodies, a subscription with 14's options, a publication with
-- 13's publish_via_partition_root
SET ROLE {{owner}};
CREATE TABLE zoo.ranges14 (id int PRIMARY KEY, m int4multirange, fm zoo.floatmultirange);
INSERT INTO zoo.ranges14 VALUES (1, '{[1,3), [5,7)}', '{[0.5,1.5), (2,Infinity]}'), (2, '{}', NULL);
CREATE FUNCTION zoo.add14(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE RETURN a + b;
CREATE PROCEDURE zoo.log14(tag text)
LANGUAGE sql
BEGIN ATOMIC
    INSERT INTO zoo.ddl_log (tag) VALUES (tag);
END;
COMMENT ON FUNCTION zoo.add14(int, int) IS 'SQL-standard body';
-- a trusted extension (13+) the database's owner, no superuser, created and owns: pg_dump does not carry its owner
CREATE EXTENSION fuzzystrmatch SCHEMA zoo;
RESET ROLE;
CREATE PUBLICATION zoo_pub_root FOR TABLE zoo.measure WITH (publish = 'insert, truncate', publish_via_partition_root = true);
CREATE SUBSCRIPTION zoo_sub14 CONNECTION 'host=127.0.0.1 port=1 dbname=nowhere'
    PUBLICATION zoo_pub WITH (connect = false, binary = true, streaming = on);
-- extended statistics on an expression (14+), with a statistics target (13+)
SET ROLE {{owner}};
CREATE STATISTICS zoo.stats_expr ON (id + 1), mood FROM zoo.things;
ALTER STATISTICS zoo.stats_expr SET STATISTICS 50;
RESET ROLE;
