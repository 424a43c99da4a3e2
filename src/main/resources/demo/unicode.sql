-- Database "Ünïcode ""Quoted"" DB": awkward names everywhere (quote, space, dot, capitals, non-ASCII letters),
-- so every identifier on the way must be quoted right. Objects belong to app_owner.
SET ROLE app_owner;

CREATE SCHEMA "Mixed Schema";

CREATE TABLE "Mixed Schema"."Tab.le ""X"" é" (
    "Id"          integer PRIMARY KEY,
    "Naïve Value" text NOT NULL,
    "when"        date
);
INSERT INTO "Mixed Schema"."Tab.le ""X"" é" ("Id", "Naïve Value", "when") VALUES
    (1, 'crème brûlée', '2024-02-29'),
    (2, 'Ærøskøbing', '2024-03-01'),
    (3, 'elephant 🐘', NULL),
    (4, 'it''s a \backslash', '1999-12-31'),
    (5, 'Ελληνικά и кириллица', '2000-01-01');
CREATE INDEX "Idx ""Naïve"" Value" ON "Mixed Schema"."Tab.le ""X"" é" ("Naïve Value");
COMMENT ON TABLE "Mixed Schema"."Tab.le ""X"" é" IS 'Ünïcode comment, with ''quotes''';

GRANT USAGE ON SCHEMA "Mixed Schema" TO readers;
GRANT SELECT ON ALL TABLES IN SCHEMA "Mixed Schema" TO readers;
RESET ROLE;
