-- The object zoo, part every source has (9.6 and newer). Run by Zoo.java as the superuser in the zoo database,
-- statement by statement. Placeholders: {{owner}} owns the objects, {{reader}} is granted things, {{lo_owner}}
-- owns the large objects (all three non-superusers), {{many_los}} is how many extra small large objects to make.

-- extensions from contrib
CREATE EXTENSION pgcrypto;
CREATE EXTENSION hstore;
CREATE EXTENSION citext;
CREATE EXTENSION tablefunc; -- its composite types (tablefunc_crosstab_2 ...) are its members, not relations
COMMENT ON EXTENSION citext IS 'zoo: case-insensitive text';
-- privileges changed on an extension's functions: pg_dump carries them as the change from pg_init_privs
REVOKE EXECUTE ON FUNCTION gen_salt(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gen_salt(text) TO {{reader}};

CREATE SCHEMA zoo AUTHORIZATION {{owner}};
COMMENT ON SCHEMA zoo IS 'the object zoo: one of each';
GRANT USAGE ON SCHEMA zoo TO {{reader}};

-- default privileges: for the owner everywhere and in one schema, and a revoke from PUBLIC
ALTER DEFAULT PRIVILEGES FOR ROLE {{owner}} IN SCHEMA zoo GRANT SELECT ON TABLES TO {{reader}};
ALTER DEFAULT PRIVILEGES FOR ROLE {{owner}} GRANT USAGE ON SEQUENCES TO {{reader}};
ALTER DEFAULT PRIVILEGES FOR ROLE {{owner}} REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

SET ROLE {{owner}};

-- domains, enums, composite and range types
CREATE DOMAIN zoo.positive_int AS integer CONSTRAINT positive CHECK (VALUE > 0);
CREATE DOMAIN zoo.email AS citext CONSTRAINT has_at CHECK (VALUE ~ '^[^@]+@[^@]+$');
COMMENT ON DOMAIN zoo.email IS 'an address with one @';
CREATE TYPE zoo.mood AS ENUM ('sad', 'ok', 'happy');
ALTER TYPE zoo.mood ADD VALUE 'meh' BEFORE 'ok';
COMMENT ON TYPE zoo.mood IS 'how it feels';
CREATE TYPE zoo.point3 AS (x float8, y float8, z float8, label text);
CREATE TYPE zoo.floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);

-- sequences: used (is_called true), set back (is_called false), never used, descending and cycling
CREATE SEQUENCE zoo.seq_called START 100 INCREMENT 7;
SELECT nextval('zoo.seq_called');
SELECT nextval('zoo.seq_called');
SELECT nextval('zoo.seq_called');
CREATE SEQUENCE zoo.seq_not_called;
SELECT setval('zoo.seq_not_called', 42, false);
CREATE SEQUENCE zoo.seq_fresh START 5;
CREATE SEQUENCE zoo.seq_desc INCREMENT -1 MINVALUE -3 MAXVALUE -1 START -1 CYCLE;
SELECT nextval('zoo.seq_desc');
SELECT nextval('zoo.seq_desc');
SELECT nextval('zoo.seq_desc');
SELECT nextval('zoo.seq_desc');
COMMENT ON SEQUENCE zoo.seq_desc IS 'counts down and wraps';

-- a table of the custom types, with a serial
CREATE TABLE zoo.things (
    id serial PRIMARY KEY,
    mood zoo.mood,
    email zoo.email,
    qty zoo.positive_int,
    p zoo.point3,
    r zoo.floatrange,
    tags hstore,
    secret bytea
);
COMMENT ON TABLE zoo.things IS 'one row per kind of thing';
COMMENT ON COLUMN zoo.things.tags IS 'free-form "tags"';
INSERT INTO zoo.things (mood, email, qty, p, r, tags, secret) VALUES
    ('meh', 'Someone@Example.COM', 3, ROW(0.5, -0, 'NaN', 'lbl "q", (x)'), '[1.5,2.5)',
        '"a"=>"1", "b"=>NULL, "q\"x"=>"y y"', digest('zoo', 'sha256')),
    ('happy', 'x@y', 1, ROW(NULL, 'Infinity', 1048576, NULL), 'empty', '', NULL),
    ('sad', NULL, NULL, NULL, '(,0.25]', NULL, '\x00ff'),
    (NULL, 'a@b', 2147483647, ROW(1, 2, 3, ''), '[-Infinity,Infinity]', '"k"=>""', '');
CREATE INDEX things_email ON zoo.things (email);
CREATE INDEX things_tags ON zoo.things USING gin (tags);

-- floats nested in other types (9.6-11 print 0.1 as 0.10000000000000001, 12+ as 0.1), and empty against NULL
CREATE DOMAIN zoo.float_dom AS float8;
CREATE TYPE zoo."Odd ""Pair"".v" AS ("x ""q"" y" real, "Ünï.z" zoo.point3);
CREATE TABLE zoo.floats (
    id int PRIMARY KEY,
    "odd ""col""" zoo."Odd ""Pair"".v",
    p zoo.point3,
    r zoo.floatrange,
    ps zoo.point3[],
    fa float8[],
    fd zoo.float_dom,
    pt point,
    bx box
);
INSERT INTO zoo.floats VALUES
    (1, ROW(0.1, ROW(0.3, NULL, 1 / 7.0, 'n')), ROW(0.1, 1 / 3.0, pi(), 'a'), '[0.1,0.30000000000000004)',
        ARRAY[ROW(0.1, 0.2, 0.3, 'x')::zoo.point3, NULL, ROW(NULL, NULL, NULL, NULL)::zoo.point3], '{}', 0.1,
        point(0.1, 1 / 3.0), box(point(0.1, 0.2), point(-0.3, 2.675))),
    (2, ROW(NULL, NULL), NULL, NULL, '{}', NULL, NULL, NULL, NULL),
    (3, NULL, ROW(NULL, NULL, NULL, NULL), 'empty', NULL, '{{0.1,NULL},{1e-300,2.2250738585072014e-308}}', 1 / 3.0,
        point(1e-300, 'NaN'), NULL),
    (4, ROW(-0.7, ROW(NULL, NULL, NULL, NULL)), ROW(-0.7, 'NaN', '-Infinity', NULL), '(,2.675]',
        ARRAY[NULL]::zoo.point3[], ARRAY[NULL]::float8[], -0.7, point(-0.7, '-Infinity'), box(point(1, 1), point(1, 1)));

-- awkward values, one kind per row
CREATE TABLE zoo.awkward (
    id int PRIMARY KEY,
    note text NOT NULL,
    t text,
    b bytea,
    f8 float8,
    f4 real,
    n numeric,
    ts timestamp,
    tstz timestamptz,
    d date,
    iv interval,
    ia int[],
    ta text[],
    j jsonb,
    js json,
    c citext
);
INSERT INTO zoo.awkward (id, note) VALUES (1, 'all NULL');
INSERT INTO zoo.awkward (id, note, t, ta, js) VALUES
    (2, 'quotes', E'it''s "quoted" \\back\\slash\ttab\nnewline\r\ncrlf\n\\.\nafter the end-of-copy marker',
     ARRAY['NULL', NULL, 'a,b', 'q"x', '{}', E'back\\slash', ''], '{"dup": 1,   "dup": 2, "ws" :  [ ] }');
INSERT INTO zoo.awkward (id, note, t, ta, c) VALUES
    (3, 'unicode', U&'\00dcn\00efc\00f6d\00e9 e\0301 \+01F600 \4E2D\6587 \05E2\05D1\05E8\05D9\05EA zero\200Bwidth',
     ARRAY[U&'\+01F600', U&'\00e9'], U&'\00c9T\00c9');
INSERT INTO zoo.awkward (id, note, t) VALUES
    (4, 'long compressible', repeat('long text, ', 100000));
INSERT INTO zoo.awkward (id, note, t)
    SELECT 5, 'long incompressible', string_agg(md5(g::text), '') FROM generate_series(1, 20000) g;
INSERT INTO zoo.awkward (id, note, b)
    SELECT 6, 'every byte', decode(string_agg(lpad(to_hex(g), 2, '0'), '' ORDER BY g), 'hex')
    FROM generate_series(0, 255) g;
INSERT INTO zoo.awkward (id, note, b) VALUES (7, 'empty bytea', '');
INSERT INTO zoo.awkward (id, note, f8, f4, n) VALUES
    (10, 'NaN', 'NaN', 'NaN', 'NaN'),
    (11, 'Infinity', 'Infinity', 'Infinity', 1e-1000),
    (12, '-Infinity', '-Infinity', '-Infinity', -1e-1000),
    (13, 'negative zero', '-0', '-0', '-0.000'),
    (14, 'tiny', 1e-300, 1.17549435e-38, 0.000000000000000000000000000001),
    (15, 'denormal', 4.9e-324, 1.4e-45, 123.4500),
    (16, 'huge', 1.7976931348623157e308, 3.4028235e38, 1e1000),
    (17, 'not exact in binary', 0.1, 0.1, 0.1),
    (18, 'pi', pi(), pi(), 3.14159265358979323846264338327950288419716939937510);
INSERT INTO zoo.awkward (id, note, ts, tstz, d, iv) VALUES
    (20, 'infinity', 'infinity', 'infinity', 'infinity', '178000000 years'),
    (21, '-infinity', '-infinity', '-infinity', '-infinity', '-178000000 years'),
    (22, 'year 1 AD', '0001-01-01 00:00:00', '0001-01-01 00:00:00+00', '0001-01-01', '1 year 2 mons 3 days 04:05:06.789012'),
    (23, 'year 1 BC', '0001-12-31 23:59:59.999999 BC', '0001-12-31 12:00:00+00 BC', '0001-12-31 BC', '-1 mons +1 day -00:00:01'),
    (24, 'earliest', '4713-01-01 00:00:00 BC', '4713-01-01 12:00:00+00 BC', '4713-01-01 BC', '0'),
    (25, 'latest', '294276-12-31 23:59:59.999999', '294276-12-30 00:00:00+00', '5874897-12-31', '1 day -24:00:00'),
    (26, 'microseconds', '2000-02-29 12:34:56.000001', '2000-02-29 12:34:56.000001+05:30', '2000-02-29', '0.000001 seconds'),
    (27, 'all negative', NULL, NULL, NULL, '-1 day -02:03:04');
-- reg* values: names in text, qualified only as far as the session's search_path needs; oids in binary
CREATE TABLE zoo.reg_refs (id int PRIMARY KEY, rel regclass, typ regtype, nsp regnamespace, who regrole);
INSERT INTO zoo.reg_refs VALUES (1, 'zoo.things', 'zoo.mood', 'zoo', '{{owner}}'), (2, 'pg_class', 'int4', NULL, NULL);
-- database settings that change how values print: sessions in this database write interval 27 "-1 2:03:04", which
-- a session in the default style reads as "-1 day +02:03:04", and zoo.things without its schema
DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I SET IntervalStyle = sql_standard', current_database());
    EXECUTE format('ALTER DATABASE %I SET search_path = zoo, public', current_database());
END
$$;
INSERT INTO zoo.awkward (id, note, ia, ta, j) VALUES
    (30, 'arrays', '[0:2]={1,2,3}', '{{a,b},{c,NULL}}', '[]'),
    (31, 'empty array', '{}', '{}', '{}'),
    (32, 'array of NULLs', '{NULL,NULL}', '{NULL}', 'null'),
    (33, 'jsonb', '{{1,2},{3,4}}', NULL,
     '{"a": [1, 2.50, null, true, false], "\u00e9": "\u00e9 \"q\"", "big": 1e400, "neg": -0.0, "deep": {"x": {"y": {"z": []}}}}'),
    (34, 'jsonb string', NULL, NULL, '"tab\there, newline\nthere, backslash\\"');
CREATE INDEX awkward_j ON zoo.awkward USING gin (j);
GRANT SELECT ON zoo.awkward TO {{reader}};
GRANT SELECT (id, mood), UPDATE (mood) ON zoo.things TO {{reader}};

-- an unlogged table
CREATE UNLOGGED TABLE zoo.scratch (k text PRIMARY KEY, v int NOT NULL);
INSERT INTO zoo.scratch SELECT 'k' || g, g FROM generate_series(1, 100) g;

-- materialized views: one with data (and a unique index), one never refreshed (stays unpopulated)
CREATE MATERIALIZED VIEW zoo.mood_counts AS
    SELECT mood, count(*) AS n FROM zoo.things GROUP BY mood WITH DATA;
CREATE UNIQUE INDEX mood_counts_mood ON zoo.mood_counts (mood);
COMMENT ON MATERIALIZED VIEW zoo.mood_counts IS 'refreshed on restore';
CREATE MATERIALIZED VIEW zoo.never_refreshed AS SELECT k, v FROM zoo.scratch WITH NO DATA;
CREATE VIEW zoo.happy_things AS SELECT id, email FROM zoo.things WHERE mood = 'happy';

-- row-level security, forced on the owner too
CREATE TABLE zoo.secrets (id int PRIMARY KEY, holder text NOT NULL, secret text);
INSERT INTO zoo.secrets VALUES (1, 'nobody', 'one'), (2, 'nobody', 'two'), (3, 'someone', 'three');
ALTER TABLE zoo.secrets ENABLE ROW LEVEL SECURITY;
ALTER TABLE zoo.secrets FORCE ROW LEVEL SECURITY;
CREATE POLICY secrets_own ON zoo.secrets FOR SELECT USING (holder = 'nobody');
CREATE POLICY secrets_insert ON zoo.secrets FOR INSERT TO {{reader}} WITH CHECK (holder = current_user);
COMMENT ON POLICY secrets_own ON zoo.secrets IS 'only nobody''s secrets';
GRANT SELECT, INSERT ON zoo.secrets TO {{reader}};

-- a function, a trigger, a table the event trigger writes to
CREATE FUNCTION zoo.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.v := NEW.v + 1;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION zoo.touch() IS 'adds one';
CREATE TRIGGER scratch_touch BEFORE INSERT ON zoo.scratch FOR EACH ROW EXECUTE PROCEDURE zoo.touch();
COMMENT ON TRIGGER scratch_touch ON zoo.scratch IS 'fires on insert';
CREATE TABLE zoo.ddl_log (id serial PRIMARY KEY, tag text NOT NULL, at timestamptz NOT NULL DEFAULT now());

-- large objects, owned by a non-superuser, with a grant and a comment; their OIDs are kept in zoo.lo_refs
RESET ROLE;
CREATE TABLE zoo.lo_refs (name text PRIMARY KEY, lo oid NOT NULL);
ALTER TABLE zoo.lo_refs OWNER TO {{owner}};
SET ROLE {{lo_owner}};
CREATE TEMP TABLE new_los (name text, lo oid);
INSERT INTO new_los VALUES ('text', lo_from_bytea(0, convert_to(U&'hello, large object \00fc', 'UTF8')));
INSERT INTO new_los VALUES ('empty', lo_from_bytea(0, ''));
INSERT INTO new_los
    SELECT 'binary', lo_from_bytea(0, decode(string_agg(md5(g::text), '' ORDER BY g), 'hex'))
    FROM generate_series(1, 20000) g;
SELECT lo_from_bytea(0, convert_to('small lo ' || g, 'UTF8')) FROM generate_series(1, {{many_los}}) g;
RESET ROLE;
INSERT INTO zoo.lo_refs SELECT name, lo FROM new_los;
DROP TABLE new_los;
SELECT lo_from_bytea(0, '\xdeadbeef');
DO $$
DECLARE
    o oid := (SELECT lo FROM zoo.lo_refs WHERE name = 'text');
BEGIN
    EXECUTE 'GRANT SELECT ON LARGE OBJECT ' || o || ' TO {{reader}}';
    EXECUTE 'COMMENT ON LARGE OBJECT ' || o || ' IS ''the greeting''';
END
$$;

-- rules on a table (one disabled, one firing only as a replica), inheritance from two parents in a chosen order, a
-- collation, a cast, an operator, an aggregate with its support functions, a text search dictionary and configuration
SET ROLE {{owner}};
CREATE TABLE zoo."Ruled ""Tab""" (id int PRIMARY KEY, "Nöte" text);
CREATE TABLE zoo.rule_log (id int, what text);
CREATE RULE "Log Insert ""Ü""" AS ON INSERT TO zoo."Ruled ""Tab"""
    DO ALSO INSERT INTO zoo.rule_log VALUES (NEW.id, 'insert ' || NEW."Nöte");
CREATE RULE no_delete AS ON DELETE TO zoo."Ruled ""Tab""" WHERE OLD.id < 0 DO INSTEAD NOTHING;
CREATE RULE replica_update AS ON UPDATE TO zoo."Ruled ""Tab""" DO ALSO NOTIFY zoo_updates;
INSERT INTO zoo."Ruled ""Tab""" VALUES (1, 'first'), (-1, 'kept');
ALTER TABLE zoo."Ruled ""Tab""" DISABLE RULE no_delete;
ALTER TABLE zoo."Ruled ""Tab""" ENABLE REPLICA RULE replica_update;
CREATE TABLE zoo."Parent A" (a int);
CREATE TABLE zoo."pärent b" (b text);
CREATE TABLE zoo."Child Of Two" (c int) INHERITS (zoo."pärent b", zoo."Parent A");
INSERT INTO zoo."Child Of Two" VALUES ('b', 1, 2);
CREATE COLLATION zoo."Cöll ""C""" (LOCALE = 'C');
CREATE FUNCTION zoo.mood_rank(zoo.mood) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN $1 = 'happy' THEN 1 ELSE 0 END $$;
CREATE CAST (zoo.mood AS int) WITH FUNCTION zoo.mood_rank(zoo.mood) AS ASSIGNMENT;
CREATE FUNCTION zoo.near(float8, float8) RETURNS bool LANGUAGE sql IMMUTABLE AS $$ SELECT abs($1 - $2) < 0.5 $$;
CREATE OPERATOR zoo.~~~ (LEFTARG = float8, RIGHTARG = float8, PROCEDURE = zoo.near, COMMUTATOR = OPERATOR(zoo.~~~));
CREATE FUNCTION zoo.sq_step(float8, float8) RETURNS float8 LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT $1 + $2 * $2 $$;
CREATE FUNCTION zoo.sq_root(float8) RETURNS float8 LANGUAGE sql IMMUTABLE AS $$ SELECT sqrt($1) $$;
CREATE AGGREGATE zoo."Root Of ""Squares"""(float8) (SFUNC = zoo.sq_step, STYPE = float8, FINALFUNC = zoo.sq_root,
    COMBINEFUNC = float8pl, INITCOND = '0');
CREATE TEXT SEARCH DICTIONARY zoo."Simple Dïct" (TEMPLATE = pg_catalog.simple, ACCEPT = false);
CREATE TEXT SEARCH CONFIGURATION zoo."Zoo Cfg" (COPY = pg_catalog.simple);
ALTER TEXT SEARCH CONFIGURATION zoo."Zoo Cfg" ALTER MAPPING FOR asciiword WITH zoo."Simple Dïct", simple;
ALTER TEXT SEARCH CONFIGURATION zoo."Zoo Cfg" DROP MAPPING FOR email;
RESET ROLE;

-- operator classes and families (superuser only, then given to the owner): a reverse btree order in a family that also
-- holds cross-type members no class has, with an index using it, and a BRIN class with its own storage type; a text
-- search parser and template made of the built-in C functions, with a dictionary and a configuration using them
CREATE FUNCTION zoo.rev_cmp(int, int) RETURNS int LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT btint4cmp($2, $1) $$;
CREATE FUNCTION zoo.rev_cmp(int, bigint) RETURNS int LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT -btint48cmp($1, $2) $$;
CREATE OPERATOR FAMILY zoo."Rëv ""Fam""" USING btree;
COMMENT ON OPERATOR FAMILY zoo."Rëv ""Fam""" USING btree IS 'reverse order';
ALTER OPERATOR FAMILY zoo."Rëv ""Fam""" USING btree OWNER TO {{owner}};
CREATE OPERATOR CLASS zoo."Int4 Rëv Ops" FOR TYPE int4 USING btree FAMILY zoo."Rëv ""Fam""" AS
    OPERATOR 1 >, OPERATOR 2 >=, OPERATOR 3 =, OPERATOR 4 <=, OPERATOR 5 <, FUNCTION 1 zoo.rev_cmp(int, int);
ALTER OPERATOR FAMILY zoo."Rëv ""Fam""" USING btree ADD
    OPERATOR 1 > (int4, int8), OPERATOR 3 = (int4, int8), OPERATOR 5 < (int4, int8), FUNCTION 1 zoo.rev_cmp(int, bigint);
COMMENT ON OPERATOR CLASS zoo."Int4 Rëv Ops" USING btree IS 'largest first';
ALTER OPERATOR CLASS zoo."Int4 Rëv Ops" USING btree OWNER TO {{owner}};
CREATE INDEX "Ruled Tab, Largest Id First" ON zoo."Ruled ""Tab""" (id zoo."Int4 Rëv Ops");
CREATE OPERATOR CLASS zoo.int4_wide_minmax FOR TYPE int4 USING brin AS
    OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
    FUNCTION 1 brin_minmax_opcinfo(internal), FUNCTION 2 brin_minmax_add_value(internal, internal, internal, internal),
    FUNCTION 3 brin_minmax_consistent(internal, internal, internal),
    FUNCTION 4 brin_minmax_union(internal, internal, internal), STORAGE int8;
CREATE TEXT SEARCH PARSER zoo."Zoo Pärser" (START = prsd_start, GETTOKEN = prsd_nexttoken, END = prsd_end,
    LEXTYPES = prsd_lextype, HEADLINE = prsd_headline);
COMMENT ON TEXT SEARCH PARSER zoo."Zoo Pärser" IS 'the default parser again';
CREATE TEXT SEARCH TEMPLATE zoo."Zoo Témplate" (INIT = dsimple_init, LEXIZE = dsimple_lexize);
COMMENT ON TEXT SEARCH TEMPLATE zoo."Zoo Témplate" IS 'simple again';
CREATE TEXT SEARCH DICTIONARY zoo."Témplate Dict" (TEMPLATE = zoo."Zoo Témplate", STOPWORDS = english);
CREATE TEXT SEARCH CONFIGURATION zoo."Pärser Cfg" (PARSER = zoo."Zoo Pärser");
ALTER TEXT SEARCH CONFIGURATION zoo."Pärser Cfg" ADD MAPPING FOR asciiword, word WITH zoo."Témplate Dict";

-- a foreign data wrapper without handler (no extension needed), a server, user mappings (one with a password) and
-- a foreign table with table and column options
CREATE FOREIGN DATA WRAPPER "Zoo FDW ü" OPTIONS (debug 'true');
CREATE SERVER "zoo server" FOREIGN DATA WRAPPER "Zoo FDW ü" OPTIONS (host 'nowhere', "Odd Key" 'v');
ALTER SERVER "zoo server" OWNER TO {{owner}};
GRANT USAGE ON FOREIGN SERVER "zoo server" TO {{reader}};
CREATE USER MAPPING FOR {{owner}} SERVER "zoo server" OPTIONS (user 'remote', password 'zoo-secret-pw');
CREATE USER MAPPING FOR PUBLIC SERVER "zoo server";
CREATE FOREIGN TABLE zoo."Far Away" (id int OPTIONS ("column name" 'ID'), v text)
    SERVER "zoo server" OPTIONS (table_name 'far "away"');
ALTER FOREIGN TABLE zoo."Far Away" OWNER TO {{owner}};
