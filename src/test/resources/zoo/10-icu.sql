-- 10 and newer: ICU collations with keywords, written the old way (@colStrength=secondary, @colNumeric=yes) and as
-- language tags. 16 and newer keep them as language tags (de-u-ks-level2, und-u-kn-true): the restored collations
-- must sort as the source's do (a secondary strength puts A before a, a numeric one 9 before 10), and compare equal
SET ROLE {{owner}};
CREATE COLLATION zoo."de-sec" (provider = icu, locale = 'de@colStrength=secondary');
CREATE COLLATION zoo."und-num" (provider = icu, locale = 'und@colNumeric=yes');
CREATE COLLATION zoo."de-ks2" (provider = icu, locale = 'de-u-ks-level2');
CREATE COLLATION zoo."und-kn" (provider = icu, locale = 'und-u-kn-true');
CREATE TABLE zoo.icu_words (
    id int PRIMARY KEY,
    sec text COLLATE zoo."de-sec",
    num text COLLATE zoo."und-num",
    ks2 text COLLATE zoo."de-ks2",
    kn text COLLATE zoo."und-kn"
);
INSERT INTO zoo.icu_words SELECT i, w, w, w, w FROM unnest(ARRAY['b', 'ä', 'a', 'A', '10', '9']) WITH ORDINALITY u(w, i);
RESET ROLE;
