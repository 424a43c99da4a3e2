-- 15 and newer: publication row filters, column lists and schemas, NULLS NOT DISTINCT, security_invoker views
SET ROLE {{owner}};
CREATE SCHEMA zoo_pubschema;
CREATE TABLE zoo_pubschema.events (id int PRIMARY KEY, kind text);
INSERT INTO zoo_pubschema.events VALUES (1, 'a'), (2, NULL);
CREATE TABLE zoo.nnd (a int, b int, CONSTRAINT nnd_ab UNIQUE NULLS NOT DISTINCT (a, b));
INSERT INTO zoo.nnd VALUES (1, NULL), (NULL, NULL);
CREATE VIEW zoo.invoker_things WITH (security_invoker = true) AS SELECT id, mood FROM zoo.things;
RESET ROLE;
CREATE PUBLICATION zoo_pub15 FOR TABLE zoo.things (id, mood) WHERE (id > 1), zoo.awkward WHERE (note <> 'NaN');
CREATE PUBLICATION zoo_pub15_schema FOR TABLES IN SCHEMA zoo_pubschema;
CREATE SUBSCRIPTION zoo_sub15 CONNECTION 'host=127.0.0.1 port=1 dbname=nowhere'
    PUBLICATION zoo_pub15 WITH (connect = false, disable_on_error = true);
