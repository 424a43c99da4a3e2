-- 9.6 only: partitioning by inheritance, and a table WITH OIDS (PostgreSQL 12 dropped them)
SET ROLE {{owner}};
CREATE TABLE zoo.measure (id int NOT NULL, at date NOT NULL, v float8);
CREATE TABLE zoo.measure_2025 (CHECK (at < '2026-01-01')) INHERITS (zoo.measure);
CREATE TABLE zoo.measure_2026 (CHECK (at >= '2026-01-01')) INHERITS (zoo.measure);
INSERT INTO zoo.measure_2025 SELECT g, date '2025-01-01' + g % 300, g * 0.5 FROM generate_series(1, 300) g;
INSERT INTO zoo.measure_2026 SELECT g, date '2026-01-01' + g % 300, g * 0.25 FROM generate_series(1, 200) g;
CREATE TABLE zoo.legacy_oids (name text) WITH OIDS;
INSERT INTO zoo.legacy_oids VALUES ('has an oid');
RESET ROLE;
