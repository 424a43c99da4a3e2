package io.pgmigrate.it;

import static io.pgmigrate.it.FullMigrationIT.one;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgmigrate.embedded.EmbeddedServer;
import io.pgmigrate.testbed.Fixture;
import io.pgmigrate.testbed.Migration;
import io.pgmigrate.testbed.TestServers;
import io.pgmigrate.testbed.Zoo;
import io.pgmigrate.testbed.ZooFingerprint;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The object zoo (issue #4) migrated with the real tool across the version matrix, in dump mode and in stream
 * mode: every source version once, every target version once. Each object kind is compared between source and target with the test's own queries
 * ({@link ZooFingerprint}), then the target is exercised: sequences continue, the event trigger fires, RLS holds.
 */
class ZooMatrixIT {
    private static final Logger log = LoggerFactory.getLogger(ZooMatrixIT.class);

    @TempDir
    Path work;

    /**
     * Each pair in both modes: the zoo is loaded on the source once, migrated in dump mode, then in stream mode into
     * a fresh target of the same version; both must arrive as they left, and the two verification reports must be
     * the same. 9.6 -> 18 also carries 5,000 more large objects; 14 -> 16 loads zoo.awkward in the delayed phase,
     * whose DDL must not fire the (by then restored) event triggers either. Stream mode copies the pairs with
     * --copy-format auto, binary and text, so the zoo's awkward values cross versions in binary COPY too.
     */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        TestServers.SOURCE_96 + ", " + TestServers.TARGET_18 + ", 5000, false, auto",
        TestServers.SOURCE_12 + ", " + TestServers.TARGET_17 + ", 0, false, binary",
        TestServers.SOURCE_14 + ", " + TestServers.TARGET_16 + ", 0, true, text",
        TestServers.PG15 + ", " + TestServers.PG15 + ", 0, false, auto"})
    void everyObjectKindArrivesAsItLeftInBothModes(String sourceVersion, String targetVersion, int manyLargeObjects,
                                                   boolean delayAwkward, String copyFormat) throws Exception {
        EmbeddedServer source = TestServers.get(sourceVersion);
        String prefix = "zoo_" + sourceVersion.replace(".", "") + "_" + targetVersion.replace(".", "");
        long started = System.nanoTime();
        Zoo zoo = new Zoo(prefix).withManyLargeObjects(manyLargeObjects).load(source);
        int version = source.serverVersionNum();
        Map<String, List<String>> expected = ZooFingerprint.of(source, zoo.database, version);
        assertThat(expected.get("large objects")).hasSize(4 + manyLargeObjects);
        assertThat(expected.get("extensions")).contains("pgcrypto", "hstore", "citext");
        if (version >= 140000) {
            assertThat(expected.get("extension owners")).contains("fuzzystrmatch " + zoo.owner + " zoo");
        }
        assertThat(expected.get("event triggers")).hasSize(2);
        assertThat(expected.get("rows")).contains("zoo.ddl_log: 1 rows");
        if (source.serverVersionNum() >= 100000) {
            // ICU keywords: a secondary strength puts A before a (their bytes break the tie), a numeric one 9 before 10
            assertThat(expected.get("collated orders")).contains("zoo.icu_words.sec: 10 9 A a ä b",
                    "zoo.icu_words.num: 9 10 a A ä b");
        }
        long loaded = System.nanoTime();

        boolean sameVersion = sourceVersion.equals(targetVersion);
        EmbeddedServer target = sameVersion ? TestServers.fresh(targetVersion) : TestServers.get(targetVersion);
        JsonNode dumped;
        try {
            dumped = migrate(source, target, zoo, expected, delayAwkward, "dump");
        } finally {
            if (sameVersion) {
                target.close();
            }
        }
        long dumpMode = System.nanoTime();
        JsonNode streamed;
        try (EmbeddedServer streamTarget = TestServers.fresh(targetVersion)) {
            streamed = migrate(source, streamTarget, zoo, expected, delayAwkward, "stream",
                    "--copy-format", copyFormat);
        }
        assertThat(streamed).as("stream mode's verdicts against dump mode's").isEqualTo(dumped);
        log.info("zoo {} -> {}: loaded in {} ms, dump mode {} ms, stream mode {} ms", sourceVersion, targetVersion,
                (loaded - started) / 1_000_000, (dumpMode - loaded) / 1_000_000,
                (System.nanoTime() - dumpMode) / 1_000_000);
    }

    /**
     * Migrates the zoo in one mode (its own state folder), checks every object kind and that the target works, and
     * returns what must not depend on the mode: the verification report (verification.json: every row
     * checksummed) and the database's status, tables and rows in the summary.
     */
    private JsonNode migrate(EmbeddedServer source, EmbeddedServer target, Zoo zoo,
                             Map<String, List<String>> expected, boolean delayAwkward, String mode, String... more)
            throws Exception {
        Migration migration = new Migration(source, target, work.resolve(mode))
                .with("--include-db", zoo.pattern(), "--verify", "checksum", "--mode", mode).with(more);
        if (delayAwkward) {
            migration.with("--delay-table-data", "\"" + zoo.database.replace("\"", "\"\"") + "\".zoo.awkward");
        }
        int code = migration.run();
        JsonNode summary = new ObjectMapper().readTree(migration.migrateState().resolve("summary.json").toFile());
        assertThat(code).as("%s mode exit code; summary: %s", mode, summary).isEqualTo(0);

        int version = source.serverVersionNum();
        Map<String, List<String>> actual = ZooFingerprint.of(target, zoo.database, version);
        SoftAssertions everyKind = new SoftAssertions();
        expected.forEach((kind, lines) -> everyKind.assertThat(actual.get(kind))
                .as("%s on the target, %s mode", kind, mode).isEqualTo(lines));
        everyKind.assertAll();

        JsonNode database = summary.get("databases").get(0);
        if (delayAwkward) {
            assertThat(database.get("phaseSeconds").has("delayed_load")).isTrue();
        }
        if (version < 120000) {
            // the table arrives, its hidden oid column cannot: the summary says so
            assertThat(database.get("warnings").toString()).as(mode)
                    .contains("pg_dump: WITH OIDS is not supported anymore (table \\\"legacy_oids\\\")");
        }
        assertTargetWorks(target, zoo);
        if (version >= 100000) {
            assertThat(one(target, "postgres", "SELECT count(*)::text FROM pg_subscription s JOIN pg_database d "
                    + "ON d.oid = s.subdbid WHERE d.datname = " + FullMigrationIT.lit(zoo.database)
                    + " AND NOT s.subenabled")).isEqualTo(version >= 150000 ? "3" : version >= 140000 ? "2" : "1");
            assertThat(database.get("warnings").toString()).as(mode).contains("subscription").contains("disabled");
        }
        JsonNode verification = new ObjectMapper().readTree(
                migration.migrateState().resolve("verification.json").toFile());
        assertThat(verification.get("equal").asBoolean()).as("%s mode: %s", mode, verification).isTrue();
        assertThat(verification.get("databases").get(0).get("rowCheck").asText()).isEqualTo("checksum");
        ObjectNode verdicts = verification.deepCopy();
        for (String field : List.of("status", "tables", "rows")) {
            verdicts.set("summary " + field, database.get(field));
        }
        return verdicts;
    }

    /** The target is usable as the source was: the sequences go on, the event trigger fires, RLS filters. */
    private static void assertTargetWorks(EmbeddedServer target, Zoo zoo) throws SQLException {
        try (Connection c = target.connect(zoo.database); Statement st = c.createStatement()) {
            assertThat(one(target, zoo.database, "SELECT nextval('zoo.seq_called')::text")).isEqualTo("121");
            assertThat(one(target, zoo.database, "SELECT nextval('zoo.seq_not_called')::text")).isEqualTo("42");
            assertThat(one(target, zoo.database, "SELECT nextval('zoo.seq_fresh')::text")).isEqualTo("5");
            assertThat(one(target, zoo.database, "SELECT nextval('zoo.seq_desc')::text")).isEqualTo("-2");
            st.execute("INSERT INTO zoo.things (mood) VALUES ('ok')");
            assertThat(one(target, zoo.database, "SELECT max(id)::text FROM zoo.things")).isEqualTo("5");
            // the enabled event trigger logs, the disabled one does not refuse the drop
            st.execute("CREATE TABLE zoo.probe (x int)");
            assertThat(one(target, zoo.database, "SELECT string_agg(tag, ',' ORDER BY id) FROM zoo.ddl_log"))
                    .isEqualTo("CREATE TABLE,CREATE TABLE");
            st.execute("DROP TABLE zoo.probe");
            // the superuser sees every secret; RLS is forced on the owner: only "nobody"'s (and never number 3)
            assertThat(one(target, zoo.database, "SELECT count(*)::text FROM zoo.secrets")).isEqualTo("3");
            st.execute("SET ROLE " + Fixture.q(zoo.owner));
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM zoo.secrets")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
            st.execute("RESET ROLE");
            assertThat(one(target, zoo.database, "SELECT count(*)::text FROM zoo.mood_counts")).isEqualTo("4");
        }
    }

    /** chkpass left contrib in PostgreSQL 11: a 9.6 database using it cannot be restored into 18. */
    @Test
    void anExtensionTheTargetLacksStopsTheRunBeforeAnyWork() throws Exception {
        EmbeddedServer source = TestServers.get(TestServers.SOURCE_96);
        EmbeddedServer target = TestServers.get(TestServers.TARGET_18);
        String prefix = "zooext_9624_1800";
        String role = prefix + "_owner";
        String withChkpass = prefix + " Chk \"pass\"";
        try (Connection c = source.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + Fixture.q(role));
            st.execute("CREATE DATABASE " + Fixture.q(withChkpass) + " OWNER " + Fixture.q(role));
            st.execute("CREATE DATABASE " + Fixture.q(prefix + "_plain"));
        }
        try (Connection c = source.connect(withChkpass); Statement st = c.createStatement()) {
            st.execute("CREATE EXTENSION chkpass");
            st.execute("CREATE EXTENSION hstore");
            st.execute("CREATE TABLE logins (name text, pw chkpass)");
        }
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream original = System.err;
        int code;
        try {
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            code = new Migration(source, target, work).with("--include-db", prefix + "*").run();
        } finally {
            System.setErr(original);
        }
        String err = stderr.toString(StandardCharsets.UTF_8);
        assertThat(code).as(err).isEqualTo(3);
        assertThat(err).containsOnlyOnce("pg-migrate: the target 127.0.0.1:" + target.port() + " lacks 1 extension(s)"
                + " the source databases use: chkpass 1.0 (used in \"zooext_9624_1800 Chk \"\"pass\"\"\")");
        assertThat(one(target, "postgres", "SELECT count(*)::text FROM pg_database WHERE datname LIKE 'zooext%'"))
                .isEqualTo("0");
        assertThat(one(target, "postgres", "SELECT count(*)::text FROM pg_roles WHERE rolname = "
                + FullMigrationIT.lit(role))).isEqualTo("0");
    }
}
