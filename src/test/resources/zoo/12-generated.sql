-- 12 and newer: stored generated columns
SET ROLE {{owner}};
CREATE TABLE zoo.gen (
    a int NOT NULL,
    b int,
    total int GENERATED ALWAYS AS (a + coalesce(b, 0)) STORED,
    label text GENERATED ALWAYS AS ('a=' || a::text) STORED
);
INSERT INTO zoo.gen (a, b) VALUES (1, 2), (3, NULL), (-5, 5);
RESET ROLE;
