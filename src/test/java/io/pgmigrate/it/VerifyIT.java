package io.pgmigrate.it;

import static io.pgmigrate.it.DelayedTablesIT.exec;
import static io.pgmigrate.it.FullMigrationIT.one;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgmigrate.cli.Main;
import io.pgmigrate.embedded.EmbeddedServer;
import io.pgmigrate.testbed.Fixture;
import io.pgmigrate.testbed.Migration;
import io.pgmigrate.testbed.TestExtension;
import io.pgmigrate.testbed.TestServers;
import io.pgmigrate.testbed.WrappedPgBin;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `pg-migrate verify` after a migration: equal, then every planted difference found and named. */
class VerifyIT {
    @TempDir
    Path work;

    static String[] verifyArgs(EmbeddedServer source, EmbeddedServer target, String pattern, Path json) {
        List<String> args = new ArrayList<>(List.of("verify",
                "--from-host", source.host(), "--from-port", Integer.toString(source.port()),
                "--from-user", source.superuser(), "--from-pass", source.password(),
                "--to-host", target.host(), "--to-port", Integer.toString(target.port()),
                "--to-user", target.superuser(), "--to-pass", target.password(),
                "--include-db", pattern, "--verify-concurrency", "4", "--json", json.toString()));
        return args.toArray(String[]::new);
    }

    static record Outcome(int code, String text, JsonNode json) {
    }

    static Outcome verify(EmbeddedServer source, EmbeddedServer target, String pattern, Path json) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = Main.run(verifyArgs(source, target, pattern, json));
        } finally {
            System.setOut(original);
        }
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), new ObjectMapper().readTree(json.toFile()));
    }

    @Test
    void aMigratedServerVerifiesEqualThenEveryPlantedDifferenceIsNamed() throws Exception {
        EmbeddedServer source = TestServers.get(TestServers.SOURCE_96);
        EmbeddedServer target = TestServers.get(TestServers.TARGET_18);
        Fixture fx = new Fixture("vfy96").load(source);
        Migration migration = new Migration(source, target, work).with("--include-db", fx.pattern());
        assertThat(migration.run()).isEqualTo(0);
        // 9.6 hashes passwords with md5; the 18 target's pg_hba asks for scram-sha-256: the summary says so
        JsonNode summary = new ObjectMapper().readTree(migration.migrateState().resolve("summary.json").toFile());
        assertThat(summary.get("notes").toString()).contains("md5 password hashes").contains(fx.reader);

        Outcome equal = verify(source, target, fx.pattern(), work.resolve("equal.json"));
        assertThat(equal.code()).as(equal.text()).isEqualTo(0);
        assertThat(equal.json().get("equal").asBoolean()).isTrue();
        assertThat(equal.text()).contains("every row checksummed").contains("the target equals the source");

        // one change of each kind, on the target
        exec(target, fx.shop,
                "SET session_replication_role = replica", // no audit trigger: exactly one changed row
                "UPDATE orders SET amount = amount + 0.01 WHERE id = 4242",
                "SET session_replication_role = DEFAULT",
                "SELECT setval('orders_id_seq', 100)",
                "DROP INDEX orders_customer",
                "REVOKE SELECT ON customers FROM " + Fixture.q(fx.reader));
        exec(target, "postgres",
                "ALTER DATABASE " + Fixture.q(fx.shop) + " SET work_mem = '32MB'",
                "REVOKE " + Fixture.q(fx.oddRole) + " FROM " + Fixture.q(fx.reader));

        Outcome differs = verify(source, target, fx.pattern(), work.resolve("differs.json"));
        assertThat(differs.code()).as(differs.text()).isEqualTo(7);
        List<String> found = new ArrayList<>();
        differs.json().get("globals").forEach(d -> found.add(d.get("kind").asText() + " " + d.get("name").asText()));
        differs.json().get("databases").forEach(db -> db.get("differences").forEach(
                d -> found.add(d.get("kind").asText() + " " + d.get("name").asText())));
        assertThat(found).as(differs.text()).containsExactlyInAnyOrder(
                "membership " + quoteIdent(fx.reader) + " in " + quoteIdent(fx.oddRole),
                "rows public.orders",
                "sequence value public.orders_id_seq",
                "index public.orders_customer",
                "relation public.customers",
                "database setting work_mem");
        assertThat(differs.text()).contains("DIFFERENCES FOUND").contains("16MB").contains("32MB");
    }

    /** Issue #4's acceptance: the zoo from 9.6 to 18, verified equal, then one planted change of each kind. */
    @Test
    void theZooFrom96To18VerifiesEqualAndEachPlantedChangeIsNamed() throws Exception {
        EmbeddedServer source = TestServers.get(TestServers.SOURCE_96);
        EmbeddedServer target = TestServers.get(TestServers.TARGET_18);
        io.pgmigrate.testbed.Zoo zoo = new io.pgmigrate.testbed.Zoo("vzoo").load(source);
        String db = Fixture.q(zoo.database);
        exec(source, "postgres", "GRANT " + Fixture.q(zoo.loOwner) + " TO " + Fixture.q(zoo.reader),
                "ALTER DATABASE " + db + " SET work_mem = '16MB'");
        assertThat(new Migration(source, target, work).with("--include-db", zoo.pattern(), "--verify", "checksum")
                .run()).isEqualTo(0);

        Outcome equal = verify(source, target, zoo.pattern(), work.resolve("zoo-equal.json"));
        assertThat(equal.code()).as(equal.text()).isEqualTo(0);
        assertThat(equal.text()).contains("every row checksummed");

        exec(target, zoo.database,
                "SET session_replication_role = replica", // neither row triggers nor the zoo's event triggers fire
                "UPDATE zoo.things SET email = email || '.changed' WHERE id = (SELECT min(id) FROM zoo.things)",
                "UPDATE zoo.floats SET fa = NULL WHERE id = 1", // an empty array is not NULL
                "SELECT setval('zoo.seq_called', 1)",
                "DROP INDEX zoo.things_email",
                "REVOKE SELECT ON zoo.secrets FROM " + Fixture.q(zoo.reader));
        exec(target, "postgres", "ALTER DATABASE " + db + " SET work_mem = '32MB'",
                "REVOKE " + Fixture.q(zoo.loOwner) + " FROM " + Fixture.q(zoo.reader));

        Outcome differs = verify(source, target, zoo.pattern(), work.resolve("zoo-differs.json"));
        assertThat(differs.code()).as(differs.text()).isEqualTo(7);
        List<String> found = new ArrayList<>();
        differs.json().get("globals").forEach(d -> found.add(d.get("kind").asText() + " " + d.get("name").asText()));
        differs.json().get("databases").forEach(d2 -> d2.get("differences").forEach(
                d -> found.add(d.get("kind").asText() + " " + d.get("name").asText())));
        assertThat(found).as(differs.text()).containsExactlyInAnyOrder(
                "membership " + quoteIdent(zoo.reader) + " in " + quoteIdent(zoo.loOwner),
                "rows zoo.things",
                "rows zoo.floats",
                "sequence value zoo.seq_called",
                "index zoo.things_email",
                "relation zoo.secrets",
                "database setting work_mem");
    }

    /**
     * A role only on the target, with a membership and a setting, and a setting of the target's own login role: the
     * target's business, still equal. A migrated role made a member of a target-only role is a difference.
     */
    @Test
    void rolesOnlyOnTheTargetAreLeftOutWithTheirMembershipsAndSettings() throws Exception {
        EmbeddedServer source = TestServers.get(TestServers.SOURCE_96);
        EmbeddedServer target = TestServers.get(TestServers.TARGET_18);
        exec(source, "postgres", "CREATE ROLE vown_app");
        migrate(source, target, "vown_db");
        String own = Fixture.q(target.superuser());
        try {
            exec(target, "postgres", "CREATE ROLE vown_monitor LOGIN", "GRANT pg_monitor TO vown_monitor",
                    "GRANT vown_app TO vown_monitor", "ALTER ROLE vown_monitor SET work_mem = '8MB'",
                    "GRANT vown_monitor TO " + own, "ALTER ROLE " + own + " SET lock_timeout = '1min'");
            Outcome equal = verify(source, target, "vown_db", work.resolve("own.json"));
            assertThat(equal.code()).as(equal.text()).isEqualTo(0);

            exec(target, "postgres", "CREATE ROLE vown_ops", "GRANT vown_ops TO vown_app");
            Outcome differs = verify(source, target, "vown_db", work.resolve("own-differs.json"));
            assertThat(differs.code()).as(differs.text()).isEqualTo(7);
            List<String> found = new ArrayList<>();
            differs.json().get("globals").forEach(d -> found.add(d.get("kind").asText() + " " + d.get("name").asText()));
            assertThat(found).as(differs.text()).containsExactly("membership vown_app in vown_ops");
        } finally {
            exec(target, "postgres", "ALTER ROLE " + own + " RESET lock_timeout", "DROP ROLE IF EXISTS vown_monitor",
                    "DROP ROLE IF EXISTS vown_ops");
        }
    }

    /**
     * A --migrate-globals=false run whose DBA created only the role the database needs (without its LOGIN and
     * password), and a source role nothing names that the target lacks: the run's verification leaves the global
     * objects out and says so (exit 0); the database's owner is still compared by name; {@code pg-migrate verify}
     * still compares the global objects and names the missing role (exit 7). Private servers: a source role the
     * target lacks would be a difference in the shared servers' other verifications.
     */
    @Test
    void aRunWithoutGlobalsLeavesTheGlobalObjectsOutOfItsVerification() throws Exception {
        try (EmbeddedServer source = TestServers.fresh(TestServers.SOURCE_12);
             EmbeddedServer target = TestServers.fresh(TestServers.TARGET_17)) {
            exec(source, "postgres", "CREATE ROLE vng_owner LOGIN PASSWORD 'owner-pw'", "CREATE ROLE \"vng Extra\"",
                    "CREATE DATABASE vng_db OWNER vng_owner");
            exec(source, "vng_db", "SET ROLE vng_owner", "CREATE TABLE t (id int PRIMARY KEY)",
                    "INSERT INTO t SELECT generate_series(1, 50)");
            exec(target, "postgres", "CREATE ROLE vng_owner");
            Migration migration = new Migration(source, target, work).with("--include-db", "vng_db",
                    "--migrate-globals=false");
            Path summary = migration.migrateState().resolve("summary.json");
            assertThat(migration.run()).as(Files.exists(summary) ? Files.readString(summary) : "").isZero();
            JsonNode verification = new ObjectMapper().readTree(migration.migrateState().resolve("verification.json")
                    .toFile());
            assertThat(verification.get("equal").asBoolean()).isTrue();
            assertThat(verification.get("notCompared").get(0).asText()).startsWith("the global objects (roles, ")
                    .contains("--migrate-globals=false");
            assertThat(Files.readString(summary)).contains("verification: not compared: the global objects")
                    .contains("the migrated databases equal the source, but for what was not compared");
            assertThat(one(target, "postgres", "SELECT pg_get_userbyid(datdba) FROM pg_database "
                    + "WHERE datname = 'vng_db'")).isEqualTo("vng_owner");

            Outcome standalone = verify(source, target, "vng_db", work.resolve("standalone.json"));
            assertThat(standalone.code()).as(standalone.text()).isEqualTo(7);
            assertThat(standalone.text()).doesNotContain("Not compared");
            List<String> found = new ArrayList<>();
            standalone.json().get("globals").forEach(d -> found.add(d.get("kind").asText() + " "
                    + d.get("name").asText()));
            assertThat(found).as(standalone.text()).contains("role \"vng Extra\"");
        }
    }

    /** pg_dump leaves inherited columns out of a child's CREATE TABLE: the child's columns come back reordered. */
    @Test
    void anInheritanceChildWhoseColumnsComeBackInAnotherOrderChecksumsEqual() throws Exception {
        EmbeddedServer source = TestServers.get(TestServers.SOURCE_96);
        EmbeddedServer target = TestServers.get(TestServers.TARGET_18);
        migrate(source, target, "vinh_db", "CREATE TABLE p (id int)", "CREATE TABLE c (note text) INHERITS (p)",
                "ALTER TABLE p ADD COLUMN d date",
                "INSERT INTO c VALUES (1, 'one', '2025-01-01'), (2, NULL, '2025-01-02'), (3, 'three', NULL)");
        try (Connection c = target.connect("vinh_db"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute"
                     + " WHERE attrelid = 'c'::regclass AND attnum > 0")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("id,d,note"); // on the source: id,note,d
        }

        Outcome equal = verify(source, target, "vinh_db", work.resolve("inherit.json"));
        assertThat(equal.code()).as(equal.text()).isEqualTo(0);
        assertThat(equal.text()).contains("every row checksummed");

        exec(target, "vinh_db", "UPDATE c SET note = 'changed' WHERE id = 3");
        Outcome differs = verify(source, target, "vinh_db", work.resolve("inherit-differs.json"));
        assertThat(differs.code()).as(differs.text()).isEqualTo(7);
        assertThat(differs.text()).contains("rows public.c");
    }

    /** A table dropped on the source while the verification runs: named as a difference, and the report goes on. */
    @Test
    void aTableDroppedOnTheSourceDuringTheVerificationIsADifference() throws Exception {
        EmbeddedServer source = TestServers.get(TestServers.SOURCE_96);
        EmbeddedServer target = TestServers.get(TestServers.TARGET_18);
        migrate(source, target, "vgone_db", "CREATE TABLE kept AS SELECT g AS id FROM generate_series(1, 10) g",
                "CREATE TABLE gone AS SELECT g AS id FROM generate_series(1, 10) g");

        Outcome outcome;
        try (Connection lock = source.connect("vgone_db"); Statement st = lock.createStatement()) {
            lock.setAutoCommit(false);
            st.execute("LOCK TABLE gone IN ACCESS EXCLUSIVE MODE"); // the checksum waits for it, then finds no table
            ExecutorService verifying = Executors.newSingleThreadExecutor();
            try {
                Future<Outcome> running = verifying.submit(
                        () -> verify(source, target, "vgone_db", work.resolve("gone.json")));
                awaitLockWait(source, "gone");
                st.execute("DROP TABLE gone");
                lock.commit();
                outcome = running.get(2, TimeUnit.MINUTES);
            } finally {
                verifying.shutdownNow();
            }
        }
        assertThat(outcome.code()).as(outcome.text()).isEqualTo(7);
        JsonNode differences = outcome.json().get("databases").get(0).get("differences");
        assertThat(differences).as(outcome.text()).hasSize(1);
        assertThat(differences.get(0).get("name").asText()).isEqualTo("public.gone");
        assertThat(differences.get(0).get("source").asText()).contains("dropped");
        assertThat(outcome.text()).contains("DIFFERENCES FOUND");
    }

    /** Waits until a session of the source waits for a lock in a query naming {@code table}. */
    private static void awaitLockWait(EmbeddedServer server, String table) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        try (Connection c = server.connect("postgres"); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND strpos(query, ?) > 0"
                        + " AND pid <> pg_backend_pid()")) {
            ps.setString(1, table);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("no query waited for the lock on " + table);
    }

    /** At extra_float_digits = 3, 9.6 prints 0.1 as 0.100000000000000006, 12 and later as 0.1: still equal. */
    @Test
    void floatConstantsInDefinitionsFrom96To17AreEqual() throws Exception {
        EmbeddedServer source = TestServers.get(TestServers.SOURCE_96);
        EmbeddedServer target = TestServers.get(TestServers.TARGET_17);
        migrate(source, target, "vfloat_db",
                "CREATE TABLE t (x float8 DEFAULT '0.1' CHECK (x < '0.3'), r real DEFAULT '0.1')",
                "CREATE VIEW v AS SELECT x * '1.1'::float8 AS y FROM t", "INSERT INTO t VALUES (0.2)");

        Outcome equal = verify(source, target, "vfloat_db", work.resolve("float.json"));
        assertThat(equal.code()).as(equal.text()).isEqualTo(0);

        // a constant changed on the target is still found
        exec(target, "vfloat_db", "ALTER TABLE t ALTER COLUMN x SET DEFAULT '0.2'");
        Outcome differs = verify(source, target, "vfloat_db", work.resolve("float-differs.json"));
        assertThat(differs.code()).as(differs.text()).isEqualTo(7);
        assertThat(differs.json().get("databases").get(0).get("differences").toString())
                .contains("public.t.x");
    }

    /**
     * What the catalog's text columns do not show: SQL-standard function bodies (prosrc is empty), whether a
     * materialized view is populated, partition keys, bounds and parents, publication options and row filters.
     * Equal from 15 to 18, then each changed on the target is named.
     */
    @Test
    void bodiesPopulationPartitionsAndPublicationOptionsAreCompared() throws Exception {
        EmbeddedServer source = TestServers.get(TestServers.PG15);
        EmbeddedServer target = TestServers.get(TestServers.TARGET_18);
        migrate(source, target, "vobj_db", "CREATE TABLE log (id int, tag text)",
                "CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE RETURN a + b",
                "CREATE PROCEDURE note(t text) LANGUAGE sql BEGIN ATOMIC INSERT INTO log (tag) VALUES (t); END",
                "CREATE MATERIALIZED VIEW empty_mv AS SELECT 1 AS one WITH NO DATA",
                "CREATE MATERIALIZED VIEW full_mv AS SELECT 1 AS one",
                "CREATE TABLE m (id int, at date) PARTITION BY RANGE (at)",
                "CREATE TABLE m_2025 PARTITION OF m FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
                "CREATE TABLE m_2026 PARTITION OF m FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
                "CREATE TABLE other (id int, at date) PARTITION BY RANGE (at)",
                "CREATE TABLE keyed (id int, at date) PARTITION BY LIST (id)",
                "CREATE PUBLICATION vobj_pub FOR TABLE m WITH (publish = 'insert, update', "
                        + "publish_via_partition_root = true)",
                "CREATE PUBLICATION vobj_filtered FOR TABLE log (id, tag) WHERE (id > 0)");
        Outcome equal = verify(source, target, "vobj_db", work.resolve("objects.json"));
        assertThat(equal.code()).as(equal.text()).isEqualTo(0);

        exec(target, "vobj_db",
                "CREATE OR REPLACE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE RETURN a - b",
                "REFRESH MATERIALIZED VIEW empty_mv",
                "REFRESH MATERIALIZED VIEW full_mv WITH NO DATA",
                "ALTER TABLE m DETACH PARTITION m_2026",
                "ALTER TABLE m ATTACH PARTITION m_2026 FOR VALUES FROM ('2026-01-01') TO ('2028-01-01')",
                "ALTER TABLE m DETACH PARTITION m_2025",
                "ALTER TABLE other ATTACH PARTITION m_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
                "DROP TABLE keyed",
                "CREATE TABLE keyed (id int, at date) PARTITION BY RANGE (id)",
                "ALTER PUBLICATION vobj_pub SET (publish = 'insert')",
                "ALTER PUBLICATION vobj_filtered SET TABLE log (id, tag) WHERE (id > 1)");
        Outcome differs = verify(source, target, "vobj_db", work.resolve("objects-differ.json"));
        assertThat(differs.code()).as(differs.text()).isEqualTo(7);
        List<String> found = names(differs.json().get("databases").get(0).get("differences"));
        assertThat(found).as(differs.text()).containsExactlyInAnyOrder(
                "function body public.add(a integer, b integer)",
                "relation public.empty_mv",
                "relation public.full_mv",
                "partition public.m_2026",
                "partition public.m_2025",
                "partition key public.keyed",
                "publication vobj_pub",
                "publication table vobj_filtered public.log");
    }

    /**
     * A database whose ICU locale has keywords (de_DE@colStrength=secondary), which 18 keeps as a language tag
     * (de-DE-u-ks-level2): it arrives sorting as on the source and compares equal; one of another strength differs.
     */
    @Test
    void aDatabaseIcuLocaleWithKeywordsIsComparedAsTheTargetKeepsIt() throws Exception {
        EmbeddedServer source = TestServers.get(TestServers.PG15);
        EmbeddedServer target = TestServers.get(TestServers.TARGET_18);
        String db = "vicu_db";
        String create = "CREATE DATABASE " + db + " TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C' "
                + "LOCALE_PROVIDER icu ICU_LOCALE ";
        exec(source, "postgres", create + "'de_DE@colStrength=secondary'");
        assertThat(new Migration(source, target, work).with("--include-db", db).run()).isEqualTo(0);
        String words = "SELECT string_agg(x, ' ' ORDER BY x) FROM (VALUES ('b'), ('a'), ('A')) v(x)";
        assertThat(one(target, db, words)).isEqualTo(one(source, db, words)).isEqualTo("A a b");
        Outcome equal = verify(source, target, db, work.resolve("icu-equal.json"));
        assertThat(equal.code()).as(equal.text()).isEqualTo(0);

        exec(target, "postgres", "DROP DATABASE " + db, create + "'de-DE-u-ks-level3'");
        Outcome differs = verify(source, target, db, work.resolve("icu-differ.json"));
        assertThat(differs.code()).as(differs.text()).isEqualTo(7);
        assertThat(names(differs.json().get("databases").get(0).get("differences"))).as(differs.text())
                .containsExactly("database locale provider");
    }

    /**
     * ALTER ROLE ... IN DATABASE of a role only on the target (a managed service's own) is the target's business,
     * as its other settings are; that of a role on both sides is compared.
     */
    @Test
    void perDatabaseSettingsOfTargetOnlyRolesAreLeftOutThoseOfMigratedRolesCompared() throws Exception {
        EmbeddedServer source = TestServers.get(TestServers.SOURCE_96);
        EmbeddedServer target = TestServers.get(TestServers.TARGET_18);
        String db = "vrole_db";
        try {
            exec(source, "postgres", "CREATE ROLE \"vr both\"");
            migrate(source, target, db, "ALTER ROLE \"vr both\" IN DATABASE " + db + " SET work_mem = '8MB'");
            exec(target, "postgres", "CREATE ROLE \"vr target\"",
                    "ALTER ROLE \"vr target\" IN DATABASE " + db + " SET work_mem = '2MB'");
            assertThat(settingDifferences(source, target, db, "settings-equal.json")).isEmpty();

            exec(target, "postgres", "ALTER ROLE \"vr both\" IN DATABASE " + db + " SET work_mem = '16MB'");
            assertThat(settingDifferences(source, target, db, "settings-differ.json"))
                    .containsExactly("role vr both: work_mem");
        } finally {
            for (EmbeddedServer server : List.of(source, target)) {
                exec(server, "postgres", "DROP DATABASE IF EXISTS " + db, "DROP ROLE IF EXISTS \"vr both\"",
                        "DROP ROLE IF EXISTS \"vr target\"");
            }
        }
    }

    /** The names of the database setting differences verify finds in {@code db}. */
    private List<String> settingDifferences(EmbeddedServer source, EmbeddedServer target, String db, String json)
            throws Exception {
        Outcome outcome = verify(source, target, db, work.resolve(json));
        List<String> out = new ArrayList<>();
        outcome.json().get("databases").get(0).get("differences").forEach(d -> {
            if (d.get("kind").asText().equals("database setting")) {
                out.add(d.get("name").asText());
            }
        });
        return out;
    }

    /**
     * Rules and their state, inheritance and its order, extended statistics, foreign data wrappers, servers, user
     * mappings, foreign tables and their columns' options, collations, casts, operators, aggregates, text search
     * dictionaries and configurations, publication owners and subscription options, functions' (and aggregates')
     * parallel safety, leakproofness and cost: equal from 12 to 17, then each changed on the target is named, and
     * neither the user mapping's nor the subscription's password is printed.
     */
    @Test
    void rulesInheritanceStatisticsForeignObjectsAndOtherKindsAreCompared() throws Exception {
        EmbeddedServer source = TestServers.get(TestServers.SOURCE_12);
        EmbeddedServer target = TestServers.get(TestServers.TARGET_17);
        String owner = Fixture.q("VKinds Öwner");
        exec(source, "postgres", "CREATE ROLE " + owner);
        migrate(source, target, "vkinds_db", "ALTER DATABASE vkinds_db OWNER TO " + owner,
                "CREATE TABLE t (a int, b int)",
                "CREATE TABLE t_log (a int)",
                "CREATE RULE r_gone AS ON INSERT TO t DO ALSO INSERT INTO t_log VALUES (NEW.a)",
                "CREATE RULE r_off AS ON DELETE TO t DO ALSO DELETE FROM t_log WHERE t_log.a = OLD.a",
                "CREATE TABLE p1 (x int)", "CREATE TABLE p2 (y int)", "CREATE TABLE child () INHERITS (p1, p2)",
                "CREATE STATISTICS st (ndistinct) ON a, b FROM t",
                "CREATE FOREIGN DATA WRAPPER w OPTIONS (mode '1')",
                "CREATE SERVER srv FOREIGN DATA WRAPPER w OPTIONS (host 'far')",
                "CREATE USER MAPPING FOR postgres SERVER srv OPTIONS (user 'u', password 'um-secret-1')",
                "CREATE FOREIGN TABLE ft (id int OPTIONS (col 'ID')) SERVER srv OPTIONS (tab 'x')",
                "CREATE COLLATION coll (LOCALE = 'C')",
                // ICU: 12 keeps the locale in collcollate and collctype and as given (de_DE), 17 in colllocale and
                // as a language tag (de-DE)
                "CREATE COLLATION icu_ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false)",
                "CREATE COLLATION icu_de (provider = icu, locale = 'de_DE')",
                // and keywords the old way: 17 keeps de-u-ks-level2 and und-u-kn-true
                "CREATE COLLATION icu_sec (provider = icu, locale = 'de@colStrength=secondary')",
                "CREATE COLLATION icu_num (provider = icu, locale = 'und@colNumeric=yes')",
                "CREATE TYPE mood AS ENUM ('sad', 'happy')",
                "CREATE FUNCTION rank(mood) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT 1'",
                "CREATE CAST (mood AS int) WITH FUNCTION rank(mood)",
                "CREATE FUNCTION near(int, int) RETURNS bool LANGUAGE sql IMMUTABLE AS 'SELECT abs($1 - $2) < 2'",
                "CREATE OPERATOR <~> (LEFTARG = int, RIGHTARG = int, PROCEDURE = near)",
                "CREATE AGGREGATE agg(int) (SFUNC = int4pl, STYPE = int, INITCOND = '0')",
                "CREATE AGGREGATE par_agg(int) (SFUNC = int4pl, STYPE = int, COMBINEFUNC = int4pl, PARALLEL = SAFE)",
                "CREATE AGGREGATE m_agg(int) (SFUNC = int4pl, STYPE = int, MSFUNC = int4pl, MINVFUNC = int4mi, "
                        + "MSTYPE = int, MSSPACE = 100)",
                "CREATE TEXT SEARCH DICTIONARY dict (TEMPLATE = simple)",
                "CREATE TEXT SEARCH CONFIGURATION cfg (COPY = simple)",
                "CREATE PUBLICATION pub FOR TABLE t",
                "CREATE SUBSCRIPTION sub CONNECTION 'host=127.0.0.1 port=1 dbname=nowhere password=sub-secret-1' "
                        + "PUBLICATION pub WITH (connect = false)");
        Outcome equal = verify(source, target, "vkinds_db", work.resolve("kinds.json"));
        assertThat(equal.code()).as(equal.text()).isEqualTo(0);

        exec(target, "vkinds_db",
                "DROP RULE r_gone ON t",
                "ALTER TABLE t DISABLE RULE r_off",
                "ALTER TABLE child NO INHERIT p1",
                "ALTER STATISTICS st SET STATISTICS 10",
                "ALTER FOREIGN DATA WRAPPER w OPTIONS (SET mode '2')",
                "ALTER SERVER srv OPTIONS (SET host 'near')",
                "ALTER USER MAPPING FOR postgres SERVER srv OPTIONS (SET password 'um-secret-2')",
                "ALTER FOREIGN TABLE ft OPTIONS (SET tab 'y')",
                "ALTER FOREIGN TABLE ft ALTER COLUMN id OPTIONS (SET col 'Id')",
                "DROP COLLATION coll",
                "CREATE COLLATION coll (LOCALE = 'POSIX')",
                "DROP COLLATION icu_sec",
                "CREATE COLLATION icu_sec (provider = icu, locale = 'de@colStrength=tertiary')",
                "DROP CAST (mood AS int)",
                "CREATE CAST (mood AS int) WITH FUNCTION rank(mood) AS IMPLICIT",
                "ALTER OPERATOR <~> (int, int) SET (RESTRICT = eqsel)",
                "DROP AGGREGATE agg(int)",
                "CREATE AGGREGATE agg(int) (SFUNC = int4pl, STYPE = int, INITCOND = '1')",
                "DROP AGGREGATE par_agg(int)",
                "CREATE AGGREGATE par_agg(int) (SFUNC = int4pl, STYPE = int, COMBINEFUNC = int4pl)",
                "ALTER FUNCTION rank(mood) LEAKPROOF COST 5",
                "DROP AGGREGATE m_agg(int)",
                "CREATE AGGREGATE m_agg(int) (SFUNC = int4pl, STYPE = int, MSFUNC = int4pl, MINVFUNC = int4mi, "
                        + "MSTYPE = int, MSSPACE = 200)",
                "ALTER TEXT SEARCH DICTIONARY dict (ACCEPT = false)",
                "ALTER TEXT SEARCH CONFIGURATION cfg DROP MAPPING FOR word",
                "ALTER PUBLICATION pub OWNER TO " + owner,
                "ALTER SUBSCRIPTION sub SET (binary = true)");
        Outcome differs = verify(source, target, "vkinds_db", work.resolve("kinds-differ.json"));
        assertThat(differs.code()).as(differs.text()).isEqualTo(7);
        List<String> found = names(differs.json().get("databases").get(0).get("differences"));
        assertThat(found).as(differs.text()).containsExactlyInAnyOrder(
                "rule public.t.r_gone",
                "rule public.t.r_off",
                "inherits public.child",
                "statistics public.st",
                "foreign data wrapper w",
                "foreign server srv",
                "user mapping postgres on srv",
                "foreign table public.ft",
                "column public.ft.id",
                "collation public.coll",
                "collation public.icu_sec",
                "cast public.mood AS integer",
                "operator public.<~>(integer, integer)",
                "aggregate public.agg(integer)",
                "function public.par_agg(integer)",
                "aggregate public.m_agg(integer)",
                "function public.rank(public.mood)",
                "text search dictionary public.dict",
                "text search configuration public.cfg",
                "publication pub",
                "subscription sub");
        for (String secret : List.of("um-secret", "sub-secret")) {
            assertThat(differs.text()).doesNotContain(secret);
            assertThat(differs.json().toString()).doesNotContain(secret);
        }
    }

    /**
     * Operator classes and families, text search parsers and templates made by users: equal from 12 to 17 (13 moved
     * a class's cross-type members into its family), then each changed on the target named: a family that lost a
     * member, one whose class's operators moved to other strategies, a class no longer the default, one with another
     * storage type, a parser without its headline function and a template without its init function.
     */
    @Test
    void operatorClassesFamiliesAndTextSearchParsersAndTemplatesAreCompared() throws Exception {
        EmbeddedServer source = TestServers.get(TestServers.SOURCE_12);
        EmbeddedServer target = TestServers.get(TestServers.TARGET_17);
        String revOps = "CREATE OPERATOR CLASS \"Rev Öps\" FOR TYPE int4 USING btree AS OPERATOR 1 >, OPERATOR 2 >=, "
                + "OPERATOR 3 =, OPERATOR 4 <=, OPERATOR 5 <, OPERATOR 1 > (int4, int8), FUNCTION 1 rev_cmp(int, int)";
        String moodOps = "FOR TYPE mood USING hash AS OPERATOR 1 = (anyenum, anyenum), FUNCTION 1 hashenum(anyenum)";
        String minmax = "CREATE OPERATOR CLASS wide_minmax FOR TYPE int4 USING brin AS OPERATOR 1 <, OPERATOR 3 =, "
                + "OPERATOR 5 >, FUNCTION 1 brin_minmax_opcinfo(internal), "
                + "FUNCTION 2 brin_minmax_add_value(internal, internal, internal, internal), "
                + "FUNCTION 3 brin_minmax_consistent(internal, internal, internal), "
                + "FUNCTION 4 brin_minmax_union(internal, internal, internal), STORAGE ";
        String parser = "CREATE TEXT SEARCH PARSER prs (START = prsd_start, GETTOKEN = prsd_nexttoken, END = prsd_end, "
                + "LEXTYPES = prsd_lextype";
        String template = "CREATE TEXT SEARCH TEMPLATE tmpl (LEXIZE = dsimple_lexize";
        migrate(source, target, "vopclass_db",
                "CREATE TYPE mood AS ENUM ('sad', 'happy')",
                "CREATE FUNCTION rev_cmp(int, int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT btint4cmp($2, $1)'",
                revOps,
                "CREATE OPERATOR FAMILY fam USING btree",
                "ALTER OPERATOR FAMILY fam USING btree ADD OPERATOR 1 < (int4, int8), OPERATOR 3 = (int4, int8), "
                        + "FUNCTION 1 btint48cmp(int4, int8)",
                "CREATE OPERATOR CLASS mood_ops DEFAULT " + moodOps,
                minmax + "int8",
                parser + ", HEADLINE = prsd_headline)",
                template + ", INIT = dsimple_init)");
        Outcome equal = verify(source, target, "vopclass_db", work.resolve("opclass.json"));
        assertThat(equal.code()).as(equal.text()).isEqualTo(0);

        exec(target, "vopclass_db",
                "ALTER OPERATOR FAMILY fam USING btree DROP OPERATOR 3 (int4, int8)",
                // the families with their classes (from 13 a class's cross-type members are its family's)
                "DROP OPERATOR FAMILY \"Rev Öps\" USING btree",
                revOps.replace("OPERATOR 2 >=", "OPERATOR 2 <=").replace("OPERATOR 4 <=", "OPERATOR 4 >="),
                "DROP OPERATOR FAMILY mood_ops USING hash",
                "CREATE OPERATOR CLASS mood_ops " + moodOps,
                "DROP OPERATOR FAMILY wide_minmax USING brin",
                minmax + "int4",
                "DROP TEXT SEARCH PARSER prs",
                parser + ")",
                "DROP TEXT SEARCH TEMPLATE tmpl",
                template + ")");
        Outcome differs = verify(source, target, "vopclass_db", work.resolve("opclass-differ.json"));
        assertThat(differs.code()).as(differs.text()).isEqualTo(7);
        assertThat(names(differs.json().get("databases").get(0).get("differences"))).as(differs.text())
                .containsExactlyInAnyOrder(
                        "operator family public.fam USING btree",
                        "operator family public.\"Rev Öps\" USING btree",
                        "operator class public.mood_ops USING hash",
                        "operator class public.wide_minmax USING brin",
                        "text search parser public.prs",
                        "text search template public.tmpl");
    }

    /**
     * Members a user added to built-in operator families (ALTER OPERATOR FAMILY pg_catalog.integer_ops ADD ...):
     * pg_dump leaves pg_catalog's families out, so the target lacks them. The run warns before any change, naming
     * them, and its verification names each family that lost members (exit 7), as does `verify`; equal once they
     * are added again. A user's operator class in a built-in family is no such member: pg_dump writes it, also its
     * cross-type operator, which 13+ hangs on the (pinned) family with no dependency. The same for an extension's
     * family (hstore's): what a user added is lost and named; what an extension put into one (pg_trgm's built-in
     * ~~, in pg_catalog here, another version of it on 17) is not.
     */
    @Test
    void membersAddedToBuiltInOperatorFamiliesAreWarnedOfAndCompared() throws Exception {
        EmbeddedServer source = TestServers.get(TestServers.SOURCE_12);
        EmbeddedServer target = TestServers.get(TestServers.TARGET_17);
        String addToIntegerOps = "ALTER OPERATOR FAMILY integer_ops USING btree ADD OPERATOR 1 <# (int4, numeric), "
                + "FUNCTION 1 (int4, numeric) int_num_cmp(int4, numeric)";
        String addToNumericOps = "ALTER OPERATOR FAMILY numeric_ops USING btree "
                + "ADD FUNCTION 1 (numeric, int4) num_int_cmp(numeric, int4)";
        String addToHstoreOps = "ALTER OPERATOR FAMILY btree_hstore_ops USING btree "
                + "ADD FUNCTION 1 (hstore, text) hs_txt_cmp(hstore, text)";
        exec(source, "postgres", "CREATE DATABASE vbuiltin_fam_db");
        exec(source, "vbuiltin_fam_db",
                "CREATE EXTENSION hstore",
                "CREATE EXTENSION pg_trgm SCHEMA pg_catalog",
                "CREATE FUNCTION hs_txt_cmp(hstore, text) RETURNS int LANGUAGE sql IMMUTABLE "
                        + "AS 'SELECT bttextcmp($1::text, $2)'",
                addToHstoreOps,
                "CREATE FUNCTION oid_int_lt(oid, int) RETURNS bool LANGUAGE sql IMMUTABLE AS 'SELECT $1::int8 < $2'",
                "CREATE OPERATOR < (LEFTARG = oid, RIGHTARG = int, FUNCTION = oid_int_lt)",
                "CREATE FUNCTION int_num_cmp(int, numeric) RETURNS int LANGUAGE sql IMMUTABLE "
                        + "AS 'SELECT CASE WHEN $1 < $2 THEN -1 WHEN $1 > $2 THEN 1 ELSE 0 END'",
                "CREATE FUNCTION int_num_lt(int, numeric) RETURNS bool LANGUAGE sql IMMUTABLE AS 'SELECT $1 < $2'",
                "CREATE OPERATOR <# (LEFTARG = int, RIGHTARG = numeric, FUNCTION = int_num_lt)",
                addToIntegerOps,
                "CREATE FUNCTION num_int_cmp(numeric, int) RETURNS int LANGUAGE sql IMMUTABLE "
                        + "AS 'SELECT -int_num_cmp($2, $1)'",
                addToNumericOps,
                // a class's members come with the class, which pg_dump writes: not lost
                "CREATE OPERATOR CLASS oid_in_int FOR TYPE oid USING btree FAMILY integer_ops AS "
                        + "OPERATOR 1 < (oid, oid), OPERATOR 3 = (oid, oid), FUNCTION 1 btoidcmp(oid, oid), "
                        + "OPERATOR 1 < (oid, int)");
        Migration migration = new Migration(source, target, work).with("--include-db", "vbuiltin_fam_db");
        assertThat(migration.run()).isEqualTo(7);
        JsonNode summary = new ObjectMapper().readTree(migration.migrateState().resolve("summary.json").toFile());
        assertThat(summary.get("notes").toString()).contains("pg_catalog.integer_ops USING btree",
                "pg_catalog.numeric_ops USING btree", "int_num_cmp(integer,numeric)",
                "public.btree_hstore_ops USING btree (function 1(hstore,text) hs_txt_cmp(hstore,text))")
                .doesNotContain("trgm", "(oid,integer)");

        Outcome differs = verify(source, target, "vbuiltin_fam_db", work.resolve("builtin-fam.json"));
        assertThat(differs.code()).as(differs.text()).isEqualTo(7);
        assertThat(names(differs.json().get("databases").get(0).get("differences"))).as(differs.text())
                .containsExactlyInAnyOrder("operator family pg_catalog.integer_ops USING btree",
                        "operator family pg_catalog.numeric_ops USING btree",
                        "operator family public.btree_hstore_ops USING btree");

        exec(target, "vbuiltin_fam_db", addToIntegerOps, addToNumericOps, addToHstoreOps);
        Outcome equal = verify(source, target, "vbuiltin_fam_db", work.resolve("builtin-fam-equal.json"));
        assertThat(equal.code()).as(equal.text()).isEqualTo(0);
    }

    /**
     * Privileges granted and revoked on an extension's objects after CREATE EXTENSION (pg_dump carries them) are
     * compared, as changes since the extension made them: equal across 12 -> 17 although the extensions' versions
     * (and pg_stat_statements' columns and initial privileges) differ, then each object changed on the target named.
     * A composite type an extension made, changed (as another version of the extension could have it), is a member
     * like the others: left out, not listed as a relation with its columns. A column default calling pgcrypto's
     * public.gen_random_uuid(), which 13's pg_catalog.gen_random_uuid() hides, reads the same on both sides.
     */
    @Test
    void privilegesChangedOnExtensionObjectsAreCompared() throws Exception {
        EmbeddedServer source = TestServers.get(TestServers.SOURCE_12);
        EmbeddedServer target = TestServers.get(TestServers.TARGET_17);
        String grantee = Fixture.q("VExt Grantée \"x\"");
        exec(source, "postgres", "CREATE ROLE " + grantee);
        migrate(source, target, "vext_db",
                "CREATE EXTENSION postgres_fdw",
                "CREATE EXTENSION hstore",
                "CREATE EXTENSION pg_stat_statements",
                "CREATE EXTENSION tablefunc",
                "CREATE EXTENSION pgcrypto",
                "CREATE TABLE uuids (id uuid DEFAULT gen_random_uuid())",
                "GRANT USAGE ON FOREIGN DATA WRAPPER postgres_fdw TO " + grantee,
                "REVOKE EXECUTE ON FUNCTION hstore(text, text) FROM PUBLIC",
                "GRANT EXECUTE ON FUNCTION hstore(text, text) TO " + grantee,
                "GRANT USAGE ON TYPE hstore TO " + grantee,
                "REVOKE ALL ON pg_stat_statements FROM PUBLIC",
                "GRANT SELECT (query) ON pg_stat_statements TO " + grantee);
        Outcome equal = verify(source, target, "vext_db", work.resolve("ext.json"));
        assertThat(equal.code()).as(equal.text()).isEqualTo(0);

        exec(target, "vext_db",
                "REVOKE USAGE ON FOREIGN DATA WRAPPER postgres_fdw FROM " + grantee,
                "GRANT EXECUTE ON FUNCTION hstore(text, text) TO PUBLIC",
                "GRANT SELECT ON pg_stat_statements TO PUBLIC",
                "REVOKE SELECT (query) ON pg_stat_statements FROM " + grantee,
                "GRANT SELECT (calls) ON pg_stat_statements TO " + grantee,
                "GRANT EXECUTE ON FUNCTION postgres_fdw_handler() TO " + grantee,
                // an extension's composite type, as another version of it could have it: a member, left out
                "ALTER TYPE tablefunc_crosstab_2 ADD ATTRIBUTE extra text");
        Outcome differs = verify(source, target, "vext_db", work.resolve("ext-differ.json"));
        assertThat(differs.code()).as(differs.text()).isEqualTo(7);
        List<String> found = names(differs.json().get("databases").get(0).get("differences"));
        String kind = "extension object privileges ";
        assertThat(found).as(differs.text()).containsExactlyInAnyOrder(
                kind + "postgres_fdw: foreign data wrapper postgres_fdw",
                kind + "postgres_fdw: function public.postgres_fdw_handler()",
                kind + "hstore: function public.hstore(text, text)",
                kind + "pg_stat_statements: relation public.pg_stat_statements",
                kind + "pg_stat_statements: column public.pg_stat_statements.query",
                kind + "pg_stat_statements: column public.pg_stat_statements.calls");
    }

    /**
     * pg_dump does not carry an extension's owner, and the restore ran as the tool's login, so every extension arrived
     * as the login's (and the verification, which did not compare owners, said equal). Since 13 a role that is not a
     * superuser creates a trusted extension and owns it: 14 -> 16 in dump mode and 15 -> 18 in stream mode, two it made
     * (one in a schema of an odd name, with a column default calling it) arrive as its own, beside one a superuser made
     * and plpgsql (each server's bootstrap superuser's); then one re-created on the target by its superuser is named.
     */
    @Test
    void anExtensionThatARoleNotASuperuserCreatedKeepsItsOwner() throws Exception {
        String role = Fixture.q("VX Öwner \"App\"");
        String schema = Fixture.q("Ext Schéma");
        String owners = "SELECT string_agg(extname || '=' || extowner::regrole::text || '@' || extnamespace::regnamespace::text,"
                + " ' ' ORDER BY extname) FROM pg_extension";
        EmbeddedServer source15 = TestServers.get(TestServers.PG15);
        EmbeddedServer target18 = TestServers.get(TestServers.TARGET_18);
        for (EmbeddedServer[] pair : List.of(new EmbeddedServer[] {TestServers.get(TestServers.SOURCE_14),
                TestServers.get(TestServers.TARGET_16)}, new EmbeddedServer[] {source15, target18})) {
            EmbeddedServer source = pair[0];
            EmbeddedServer target = pair[1];
            String mode = source == source15 ? "stream" : "dump";
            String db = "vxowner_" + mode;
            exec(source, "postgres", "CREATE ROLE " + role, "CREATE DATABASE " + db,
                    "GRANT CREATE ON DATABASE " + db + " TO " + role);
            exec(source, db, "CREATE EXTENSION hstore", "CREATE SCHEMA " + schema + " AUTHORIZATION " + role,
                    "SET ROLE " + role, "CREATE EXTENSION pgcrypto SCHEMA " + schema, "CREATE EXTENSION tablefunc",
                    "CREATE TABLE " + schema + ".t (id int, h bytea DEFAULT " + schema + ".digest('x', 'sha1'))",
                    "INSERT INTO " + schema + ".t (id) VALUES (1)");
            assertThat(new Migration(source, target, work.resolve(mode)).with("--include-db", db, "--mode", mode)
                    .run()).as(mode + " mode, verified at its end").isEqualTo(0);
            assertThat(one(target, db, owners)).as(mode).isEqualTo(one(source, db, owners)).isEqualTo(
                    "hstore=postgres@public pgcrypto=" + role + "@" + schema + " plpgsql=postgres@pg_catalog"
                    + " tablefunc=" + role + "@public");
        }
        exec(target18, "vxowner_stream", "DROP EXTENSION tablefunc", "CREATE EXTENSION tablefunc");
        assertOnlyDifferences(source15, target18, "vxowner_stream", "extension tablefunc");
    }

    /**
     * Default privileges in force at CREATE EXTENSION give the extension's objects privileges; where its script
     * granted or revoked on an object itself (pg_buffercache's view and function), pg_init_privs records them as the
     * extension's own, so pg_dump did not carry them and the verification, comparing each side's changes from
     * pg_init_privs, said equal. 14 -> 18 in dump mode and 15 -> 17 in stream mode: they arrive, and one taken back
     * on the target is named.
     */
    @Test
    void privilegesDefaultPrivilegesGaveAnExtensionsObjectsArrive() throws Exception {
        String name = "VD Réader \"x\"";
        String reader = Fixture.q(name);
        String held = "SELECT has_table_privilege(" + FullMigrationIT.lit(name) + ", 'public.pg_buffercache', 'SELECT')"
                + " || ' ' || has_function_privilege(" + FullMigrationIT.lit(name)
                + ", 'public.pg_buffercache_pages()', 'EXECUTE')";
        EmbeddedServer target17 = TestServers.get(TestServers.TARGET_17);
        for (String mode : List.of("dump", "stream")) {
            EmbeddedServer source = TestServers.get(mode.equals("dump") ? TestServers.SOURCE_14 : TestServers.PG15);
            EmbeddedServer target = mode.equals("dump") ? TestServers.get(TestServers.TARGET_18) : target17;
            String db = "vxdefault_" + mode;
            exec(source, "postgres", "CREATE ROLE " + reader, "CREATE DATABASE " + db);
            exec(source, db, "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO " + reader,
                    "ALTER DEFAULT PRIVILEGES GRANT EXECUTE ON FUNCTIONS TO " + reader,
                    "CREATE EXTENSION pg_buffercache");
            assertThat(one(source, db, held)).isEqualTo("true true");
            assertThat(new Migration(source, target, work.resolve(mode)).with("--include-db", db, "--mode", mode)
                    .run()).as(mode + " mode, verified at its end").isEqualTo(0);
            assertThat(one(target, db, held)).as(mode).isEqualTo("true true");
        }
        exec(target17, "vxdefault_stream", "REVOKE SELECT ON pg_buffercache FROM " + reader);
        assertOnlyDifferences(TestServers.get(TestServers.PG15), target17, "vxdefault_stream",
                "extension object privileges pg_buffercache: relation public.pg_buffercache");
    }

    /**
     * The same for an extension's procedure (11+), which {@code GRANT ... ON FUNCTION} refuses, and its aggregate: no
     * contrib extension has a procedure, so the test writes one into both servers' share folders. 14 -> 17, stream
     * mode.
     */
    @Test
    void privilegesDefaultPrivilegesGaveAnExtensionsProcedureArrive() throws Exception {
        String name = "VP Réader \"x\"";
        String ext = "vx_routines";
        String db = "vxdefault_routines";
        String held = "SELECT string_agg(has_function_privilege(" + FullMigrationIT.lit(name) + ", r, 'EXECUTE')::text,"
                + " ' ') FROM unnest('{public.vx_proc(),public.vx_func(),public.vx_agg(int)}'::text[]) r";
        EmbeddedServer source = TestServers.get(TestServers.SOURCE_14);
        EmbeddedServer target = TestServers.get(TestServers.TARGET_17);
        try (TestExtension extension = TestExtension.install(ext, "relocatable = true\n", """
                CREATE PROCEDURE vx_proc() LANGUAGE sql AS 'SELECT 1';
                CREATE FUNCTION vx_func() RETURNS int LANGUAGE sql AS 'SELECT 1';
                CREATE AGGREGATE vx_agg(int) (sfunc = int4pl, stype = int);
                REVOKE ALL ON PROCEDURE vx_proc() FROM PUBLIC;
                REVOKE ALL ON FUNCTION vx_func() FROM PUBLIC;
                REVOKE ALL ON FUNCTION vx_agg(int) FROM PUBLIC;
                """, List.of(source, target), db)) {
            exec(source, "postgres", "CREATE ROLE " + Fixture.q(name), "CREATE DATABASE " + db);
            exec(source, db, "ALTER DEFAULT PRIVILEGES GRANT EXECUTE ON FUNCTIONS TO " + Fixture.q(name),
                    "CREATE EXTENSION " + ext);
            assertThat(one(source, db, held)).isEqualTo("true true true");
            assertThat(new Migration(source, target, work).with("--include-db", db).run()).as("verified at its end")
                    .isEqualTo(0);
            assertThat(one(target, db, held)).isEqualTo("true true true");
        }
    }

    /**
     * An untrusted extension whose owner is no longer a superuser (it was when it created it): its owner cannot
     * create it on the target, so the run warns before any change, the login creates it, and the verification names
     * it (exit 7) rather than anything writing the catalog by hand.
     */
    @Test
    void anUntrustedExtensionWhoseOwnerIsNoLongerASuperuserIsWarnedOfAndNamed() throws Exception {
        EmbeddedServer source = TestServers.get(TestServers.PG15);
        EmbeddedServer target = TestServers.get(TestServers.TARGET_17);
        String role = Fixture.q("VX Fallen");
        String db = "vxfallen_db";
        exec(source, "postgres", "CREATE ROLE " + role + " SUPERUSER", "CREATE DATABASE " + db);
        exec(source, db, "SET ROLE " + role, "CREATE EXTENSION postgres_fdw", "RESET ROLE",
                "ALTER ROLE " + role + " NOSUPERUSER");
        Migration migration = new Migration(source, target, work).with("--include-db", db, "--mode", "dump");
        assertThat(migration.run()).isEqualTo(7);
        JsonNode summary = new ObjectMapper().readTree(migration.migrateState().resolve("summary.json").toFile());
        List<String> notes = new ArrayList<>();
        summary.get("notes").forEach(n -> notes.add(n.asText()));
        assertThat(notes).as("warned before any change").anyMatch(n -> n.contains("\"vxfallen_db\": postgres_fdw"
                + " (owner \"VX Fallen\")"));
        JsonNode verification = new ObjectMapper().readTree(migration.migrateState().resolve("verification.json")
                .toFile());
        assertThat(names(verification.get("databases").get(0).get("differences"))).containsExactly(
                "extension postgres_fdw");
    }

    /**
     * 18 streams a subscription in parallel by default, and pg_dump before 18 writes no streaming option for one that
     * streams nothing: a subscription from 14 that streams nothing must still stream nothing on 18, and one that
     * streams must still stream (the migration's verification compares the option, so exit 0 says both).
     */
    @Test
    void aSubscriptionThatStreamsNothingStillStreamsNothingOn18() throws Exception {
        EmbeddedServer source = TestServers.get(TestServers.SOURCE_14);
        EmbeddedServer target = TestServers.get(TestServers.TARGET_18);
        String off = "Sub 'Ö' off";
        String on = "Sub \"on\"";
        migrate(source, target, "vsubs_db",
                "CREATE SUBSCRIPTION " + Fixture.q(off) + " CONNECTION 'host=127.0.0.1 port=1 dbname=nowhere'"
                        + " PUBLICATION p WITH (connect = false, slot_name = 'vsubs_off')",
                "CREATE SUBSCRIPTION " + Fixture.q(on) + " CONNECTION 'host=127.0.0.1 port=1 dbname=nowhere'"
                        + " PUBLICATION p WITH (connect = false, slot_name = 'vsubs_on', streaming = on)");
        assertThat(one(target, "postgres", "SELECT string_agg(subname || '=' || substream::text, ', ' ORDER BY subname)"
                + " FROM pg_subscription WHERE subdbid = (SELECT oid FROM pg_database WHERE datname = 'vsubs_db')"))
                .isEqualTo(on + "=t, " + off + "=f");
    }

    /**
     * pg_dump 15 and later write the public schema's privileges as changes from 15's ({@code =U}: PUBLIC may not
     * create), so a source before 15 that revoked CREATE from PUBLIC got nothing written for it, and a target before
     * 15, whose new databases give PUBLIC CREATE there, kept it: 12 -> 14 in both modes, with a database that kept
     * the old default beside it.
     */
    @Test
    void aPublicSchemaWherePublicMayNotCreateStaysSoOnATargetBefore15() throws Exception {
        EmbeddedServer source = TestServers.get(TestServers.SOURCE_12);
        EmbeddedServer target = TestServers.get(TestServers.SOURCE_14);
        for (String mode : List.of("dump", "stream")) {
            String revoked = "vpub_" + mode + "_revoked";
            String kept = "vpub_" + mode + "_kept";
            exec(source, "postgres", "CREATE DATABASE " + revoked, "CREATE DATABASE " + kept);
            exec(source, revoked, "REVOKE CREATE ON SCHEMA public FROM PUBLIC");
            assertThat(new Migration(source, target, work.resolve(mode)).with("--include-db", "vpub_" + mode + "_*",
                    "--mode", mode).run()).as(mode + " mode, verified at its end").isEqualTo(0);
            String canCreate = "SELECT has_schema_privilege('public', 'public', 'CREATE')::text";
            assertThat(one(target, revoked, canCreate)).as(mode).isEqualTo("false");
            assertThat(one(target, kept, canCreate)).as(mode).isEqualTo("true");
        }
    }

    /**
     * A run stopped between CREATE DATABASE and the REVOKE of the test above (here: pg_dump fails after the database
     * is created, and the target's public schema is given back PUBLIC's CREATE, as a kill in between leaves it) is
     * resumed: the next run finds the database it created, nothing restored into it, and takes CREATE away again.
     */
    @Test
    void aResumedRunTakesCreateOnPublicAwayFromADatabaseCreatedBeforeItStopped() throws Exception {
        EmbeddedServer source = TestServers.get(TestServers.SOURCE_12);
        EmbeddedServer target = TestServers.get(TestServers.SOURCE_14);
        String db = "vpub_resumed";
        exec(source, "postgres", "CREATE DATABASE " + db);
        exec(source, db, "REVOKE CREATE ON SCHEMA public FROM PUBLIC");
        Path failing = WrappedPgBin.create(work.resolve("failing-bin"), "pg_dump", real -> List.of(
                "case \" $* \" in *\" --format=directory \"*) echo 'pg_dump: error: failing on purpose' >&2; exit 1 ;; esac",
                "exec '" + real + "' \"$@\""));
        assertThat(new Migration(source, target, work).with("--include-db", db, "--mode", "dump",
                "--pg-bin", failing.toString()).run()).as("pg_dump fails after the database is created").isEqualTo(6);
        exec(target, db, "GRANT CREATE ON SCHEMA public TO PUBLIC");

        assertThat(new Migration(source, target, work).with("--include-db", db, "--mode", "dump").run())
                .as("resumed, verified at its end").isEqualTo(0);
        assertThat(one(target, db, "SELECT has_schema_privilege('public', 'public', 'CREATE')::text")).isEqualTo("false");
    }

    /**
     * An ACL is a set. A table made under default privileges has its ACL sorted by role oid, so one that grants to a
     * predefined role reads {pg_read_all_stats=r/o,o=arwdDxt/o} on a 14 source, and lists its owner first once
     * restored into 17 (pg_dump grants on it after creating it), as do a sequence, function, type and schema; a large
     * object whose owner took its rights away and back likewise. 14 -> 17 verifies equal; an item taken away (from the
     * table, so from its column too), another privilege letter, and an empty ACL become the default one (NULL) are
     * still named.
     */
    @Test
    void aclsInAnotherOrderAreEqualAndARealDifferenceIsNamed() throws Exception {
        EmbeddedServer source = TestServers.get(TestServers.SOURCE_14);
        EmbeddedServer target = TestServers.get(TestServers.TARGET_17);
        String db = "vacl_order";
        String owner = Fixture.q("VA Owner \"x, y\"");
        exec(source, "postgres", "CREATE ROLE " + owner);
        migrate(source, target, db, "GRANT CREATE ON DATABASE " + db + " TO " + owner, "SET ROLE " + owner,
                "CREATE TABLE plain (id int)",
                "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO pg_read_all_stats",
                "ALTER DEFAULT PRIVILEGES GRANT SELECT, USAGE ON SEQUENCES TO pg_read_all_stats",
                "ALTER DEFAULT PRIVILEGES GRANT EXECUTE ON FUNCTIONS TO pg_read_all_stats",
                "ALTER DEFAULT PRIVILEGES GRANT USAGE ON TYPES TO pg_read_all_stats",
                "ALTER DEFAULT PRIVILEGES GRANT USAGE ON SCHEMAS TO pg_read_all_stats",
                "CREATE TABLE t (id int, v text)", "GRANT SELECT (v) ON t TO pg_monitor, pg_read_all_stats",
                "CREATE SEQUENCE s", "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
                "CREATE TYPE mood AS ENUM ('ok')", "CREATE SCHEMA sch",
                "CREATE TABLE e (id int)", "REVOKE ALL ON e FROM " + owner + ", pg_read_all_stats",
                "SELECT lo_create(4242)", "GRANT SELECT ON LARGE OBJECT 4242 TO pg_read_all_stats",
                "REVOKE ALL ON LARGE OBJECT 4242 FROM " + owner, "GRANT ALL ON LARGE OBJECT 4242 TO " + owner,
                "ALTER DEFAULT PRIVILEGES REVOKE ALL ON FUNCTIONS FROM PUBLIC, " + owner + ", pg_read_all_stats");
        String acls = "SELECT string_agg(relname || relacl::text, ' ' ORDER BY relname) FROM pg_class"
                + " WHERE relname IN ('e', 't')";
        assertThat(one(source, db, acls)).startsWith("e{} t{\"pg_read_all_stats=r/");
        assertThat(one(target, db, acls)).startsWith("e{} t{\"\\\"VA Owner");

        exec(target, db, "REVOKE SELECT ON t FROM pg_read_all_stats", "REVOKE USAGE ON s FROM pg_read_all_stats",
                "UPDATE pg_class SET relacl = NULL WHERE oid = 'public.e'::regclass",
                "REVOKE SELECT ON LARGE OBJECT 4242 FROM pg_read_all_stats");
        assertOnlyDifferences(source, target, db, "column public.t.v", "large objects all", "relation public.e",
                "relation public.s", "relation public.t");
    }

    /**
     * 10 to 17 accept an unlogged partitioned table, which holds no rows (each partition has its own persistence);
     * 18 refuses one, and pg_dump 15 writes it as CREATE UNLOGGED TABLE ... PARTITION BY. Migrated to 18 in both
     * modes, such parents (one of them a partition itself) arrive logged, as pg_dump 18 would write them, with their
     * comment and privileges; each partition keeps its own persistence and rows, and the verification finds the
     * parents equal but still compares the partitions' persistence.
     */
    @Test
    void unloggedPartitionedTablesFrom15ArriveLoggedOn18AndTheirPartitionsKeepTheirPersistence() throws Exception {
        EmbeddedServer source = TestServers.get(TestServers.PG15);
        EmbeddedServer target = TestServers.get(TestServers.TARGET_18);
        for (String mode : List.of("dump", "stream")) {
            String db = "vunlogged_" + mode;
            exec(source, "postgres", "CREATE DATABASE " + db);
            exec(source, db, "CREATE UNLOGGED TABLE \"Ev ent\" (id int, tag text) PARTITION BY RANGE (id)",
                    "COMMENT ON TABLE \"Ev ent\" IS 'parent'",
                    "GRANT SELECT ON \"Ev ent\" TO PUBLIC",
                    "CREATE INDEX ON \"Ev ent\" (tag)",
                    "CREATE TABLE ev_logged PARTITION OF \"Ev ent\" FOR VALUES FROM (0) TO (100)",
                    "CREATE UNLOGGED TABLE ev_unlogged PARTITION OF \"Ev ent\" FOR VALUES FROM (100) TO (200)",
                    "CREATE UNLOGGED TABLE ev_sub PARTITION OF \"Ev ent\" FOR VALUES FROM (200) TO (300)"
                            + " PARTITION BY LIST (id)",
                    "CREATE UNLOGGED TABLE ev_sub_a PARTITION OF ev_sub FOR VALUES IN (250)",
                    "INSERT INTO \"Ev ent\" VALUES (1, 'a'), (150, 'b'), (250, 'c')");
            assertThat(new Migration(source, target, work.resolve(mode)).with("--include-db", db, "--mode", mode)
                    .run()).as(mode + " mode, verified at its end").isEqualTo(0);
            assertThat(one(target, db, "SELECT string_agg(relname || '=' || relkind::text || relpersistence::text, ', '"
                    + " ORDER BY relname) FROM pg_class WHERE relkind IN ('r', 'p') AND relname ~* '^ev'"))
                    .as(mode).isEqualTo("Ev ent=pp, ev_logged=rp, ev_sub=pp, ev_sub_a=ru, ev_unlogged=ru");
            assertThat(one(target, db, "SELECT string_agg(tag, ',' ORDER BY id) || ' '"
                    + " || obj_description('\"Ev ent\"'::regclass, 'pg_class')"
                    + " || ' ' || has_table_privilege('public', '\"Ev ent\"', 'SELECT')::text FROM \"Ev ent\""))
                    .as(mode).isEqualTo("a,b,c parent true");
        }
        exec(target, "vunlogged_stream", "ALTER TABLE ev_unlogged SET LOGGED");
        assertOnlyDifferences(source, target, "vunlogged_stream", "relation public.ev_unlogged");
    }

    /** Before 18 an unlogged partitioned table stays as it was: 12 -> 17 keeps it unlogged. */
    @Test
    void anUnloggedPartitionedTableStaysUnloggedOnATargetBefore18() throws Exception {
        EmbeddedServer source = TestServers.get(TestServers.SOURCE_12);
        EmbeddedServer target = TestServers.get(TestServers.TARGET_17);
        migrate(source, target, "vunlogged_17", "CREATE UNLOGGED TABLE p (id int) PARTITION BY LIST (id)",
                "CREATE UNLOGGED TABLE p_1 PARTITION OF p FOR VALUES IN (1)", "INSERT INTO p VALUES (1)");
        assertThat(one(target, "vunlogged_17", "SELECT string_agg(relname || '=' || relpersistence::text, ', '"
                + " ORDER BY relname) FROM pg_class WHERE relname IN ('p', 'p_1')")).isEqualTo("p=u, p_1=u");
    }

    /** Creates {@code database} on the source, runs {@code statements} in it and migrates it to the target. */
    private void migrate(EmbeddedServer source, EmbeddedServer target, String database, String... statements)
            throws Exception {
        exec(source, "postgres", "CREATE DATABASE " + database);
        exec(source, database, statements);
        assertThat(new Migration(source, target, work).with("--include-db", database).run()).isEqualTo(0);
    }

    /** `pg-migrate verify` of {@code database} finds these differences ("kind name") and no other: exit 7. */
    private void assertOnlyDifferences(EmbeddedServer source, EmbeddedServer target, String database,
                                       String... differences) throws Exception {
        Outcome differs = verify(source, target, database, work.resolve(database + "-differ.json"));
        assertThat(differs.code()).as(differs.text()).isEqualTo(7);
        assertThat(names(differs.json().get("databases").get(0).get("differences"))).as(differs.text())
                .containsExactly(differences);
    }

    /** The differences as "kind name". */
    static List<String> names(JsonNode differences) {
        List<String> out = new ArrayList<>();
        differences.forEach(d -> out.add(d.get("kind").asText() + " " + d.get("name").asText()));
        return out;
    }

    /** How PostgreSQL's quote_ident writes a name: bare when it is a plain lower-case identifier. */
    static String quoteIdent(String name) {
        return name.matches("[a-z_][a-z0-9_$]*") ? name : Fixture.q(name);
    }
}
