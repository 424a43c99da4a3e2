package io.pgmigrate.it;

import static io.pgmigrate.testbed.Fixture.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgmigrate.embedded.EmbeddedServer;
import io.pgmigrate.state.StateNames;
import io.pgmigrate.testbed.Fixture;
import io.pgmigrate.testbed.Migration;
import io.pgmigrate.testbed.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole regular path between real servers of several versions, in both modes (how data moves must not change
 * what arrives), then a re-run that resumes past everything.
 */
class FullMigrationIT {
    /** The target of the 15 -> 15 runs (the shared 15 is their source), one for both modes: fixtures differ. */
    private static EmbeddedServer sameVersionTarget;

    @TempDir
    Path work;

    @AfterAll
    static void stopSameVersionTarget() {
        if (sameVersionTarget != null) {
            sameVersionTarget.close();
        }
    }

    @ParameterizedTest(name = "{0} -> {1}, {2} mode")
    @CsvSource({"9.6.24, 18.0.0, dump", "12.22.0, 17.5.0, dump", "15, 15, dump",
                "9.6.24, 18.0.0, stream", "12.22.0, 17.5.0, stream", "15, 15, stream"})
    void migratesEverythingAndResumesPastIt(String sourceVersion, String targetVersion, String mode)
            throws Exception {
        EmbeddedServer source = TestServers.get(sourceVersion);
        boolean sameVersion = sourceVersion.equals(targetVersion);
        if (sameVersion && sameVersionTarget == null) {
            sameVersionTarget = TestServers.fresh(targetVersion);
        }
        EmbeddedServer target = sameVersion ? sameVersionTarget : TestServers.get(targetVersion);
        String prefix = "full_" + sourceVersion.replace(".", "") + "_" + targetVersion.replace(".", "")
                + (mode.equals("dump") ? "" : "_" + mode);
        Fixture fx = new Fixture(prefix).load(source);
        Migration migration = new Migration(source, target, work).with("--include-db", fx.pattern(),
                "--mode", mode);

        assertThat(migration.run()).isEqualTo(0);

        for (String db : fx.databases()) {
            assertThat(counts(target, db)).as("row counts of %s", db).isEqualTo(counts(source, db))
                    .isNotEmpty();
            assertThat(owner(target, db)).isEqualTo(fx.owner);
            assertThat(migration.migrateState().resolve(StateNames.fileSafe(db) + ".done")).exists();
            assertThat(migration.verifyState().resolve(StateNames.fileSafe(db) + ".verify")).exists();
            assertThat(migration.verifyState().resolve(StateNames.fileSafe(db) + ".src_counts.json")).exists();
        }
        assertThat(migration.migrateState().resolve("globals.done")).exists();
        assertSettingsReverted(target, migration);

        // a second run finds every step done, redoes nothing, and verifies again
        assertThat(migration.run()).isEqualTo(0);
        JsonNode summary = new ObjectMapper().readTree(migration.migrateState().resolve("summary.json").toFile());
        for (JsonNode db : summary.get("databases")) {
            assertThat(db.get("status").asText()).isEqualTo("done");
            assertThat(db.get("phaseSeconds").get("dump").asText()).isEqualTo("earlier");
            assertThat(db.get("phaseSeconds").get("restore").asText()).isEqualTo("earlier");
        }
        // last, as it writes to the target
        assertTargetLooksLikeSource(source, target, fx);
    }

    /**
     * A re-run finds the database verified by the earlier run, whose counts it keeps: rows deleted on the target since
     * are found all the same, by the final verification counting every table again, not reported as equal.
     */
    @Test
    void aRerunCountsAgainTheRowsOfADatabaseAnEarlierRunVerified() throws Exception {
        EmbeddedServer source = TestServers.get(TestServers.SOURCE_12);
        EmbeddedServer target = TestServers.get(TestServers.TARGET_17);
        String db = "full_recount";
        DelayedTablesIT.exec(source, "postgres", "CREATE DATABASE " + db);
        DelayedTablesIT.exec(source, db, "CREATE TABLE items (id int PRIMARY KEY)",
                "INSERT INTO items SELECT generate_series(1, 100)");
        Migration migration = new Migration(source, target, work).with("--include-db", db);
        assertThat(migration.run()).isEqualTo(0);

        DelayedTablesIT.exec(target, db, "DELETE FROM items WHERE id > 90");
        assertThat(migration.run()).isEqualTo(7);
        assertThat(Files.readString(migration.migrateState().resolve("verification.json")))
                .contains("items").contains("100").contains("90");
    }

    private void assertTargetLooksLikeSource(EmbeddedServer source, EmbeddedServer target, Fixture fx)
            throws SQLException {
        // roles with the same password hashes, memberships and grants
        for (String role : List.of(fx.owner, fx.reader, fx.oddRole)) {
            assertThat(one(target, "postgres", "SELECT rolpassword FROM pg_authid WHERE rolname = " + lit(role)))
                    .as("password hash of %s", role)
                    .isEqualTo(one(source, "postgres", "SELECT rolpassword FROM pg_authid WHERE rolname = " + lit(role)));
        }
        assertThat(one(target, "postgres", "SELECT pg_has_role(" + lit(fx.reader) + ", " + lit(fx.oddRole)
                + ", 'MEMBER')::text")).isEqualTo("true");
        assertThat(one(target, fx.shop, "SELECT has_table_privilege(" + lit(fx.reader) + ", 'orders', 'SELECT')::text"))
                .isEqualTo("true");
        assertThat(one(target, fx.odd, "SELECT has_table_privilege(" + lit(fx.oddRole) + ", "
                + lit(q(fx.oddSchema) + "." + q(fx.oddTable)) + ", 'SELECT')::text")).isEqualTo("true");
        // the awkward names arrived with their data
        assertThat(one(target, fx.odd, "SELECT string_agg(coalesce(\"Wert \"\"v\"\"\", 'NULL'), ',' ORDER BY \"Id\") "
                + "FROM " + q(fx.oddSchema) + "." + q(fx.oddTable) + " WHERE \"Id\" < 4")).isEqualTo("ä,it's,NULL");
        // the sequence continues where the source stopped
        assertThat(one(target, fx.shop, "SELECT last_value::text FROM orders_id_seq"))
                .isEqualTo(one(source, fx.shop, "SELECT last_value::text FROM orders_id_seq"));
        try (Connection c = target.connect(fx.shop); Statement st = c.createStatement()) {
            // the trigger fires, the foreign key holds
            st.execute("INSERT INTO orders (customer_id, amount) VALUES (1, 1)");
            assertThat(one(target, fx.shop, "SELECT max(id)::text FROM orders")).isEqualTo("5001");
            assertThat(one(target, fx.shop, "SELECT count(*)::text FROM audit")).isEqualTo("5001");
            assertThatThrownBy(() -> st.execute("INSERT INTO orders (customer_id, amount) VALUES (999999, 1)"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("foreign key");
        }
        assertThat(one(target, fx.shop, "SELECT count(*)::text FROM measurements")).isEqualTo("1000");
        // the target's own superuser still logs in with its own password
        try (Connection c = target.connect("postgres", target.superuser(), target.password())) {
            assertThat(c.isValid(5)).isTrue();
        }
    }

    private static void assertSettingsReverted(EmbeddedServer target, Migration migration) throws SQLException {
        assertThat(one(target, "postgres", "SHOW fsync")).isEqualTo("on");
        assertThat(one(target, "postgres", "SHOW full_page_writes")).isEqualTo("on");
        assertThat(one(target, "postgres", "SHOW synchronous_commit")).isEqualTo("on");
        assertThat(one(target, "postgres", "SELECT count(*)::text FROM pg_file_settings "
                + "WHERE sourcefile LIKE '%postgresql.auto.conf'")).isEqualTo("0");
        assertThat(migration.migrateState().resolve("target_settings.json")).doesNotExist();
    }

    static Map<String, Long> counts(EmbeddedServer server, String db) throws SQLException {
        Map<String, Long> out = new TreeMap<>();
        List<String> tables = new ArrayList<>();
        try (Connection c = server.connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT format('%I.%I', schemaname, tablename) FROM pg_tables "
                     + "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
            for (String t : tables) {
                try (ResultSet r = st.executeQuery("SELECT count(*) FROM ONLY " + t)) {
                    r.next();
                    out.put(t, r.getLong(1));
                }
            }
        }
        return out;
    }

    static String owner(EmbeddedServer server, String db) throws SQLException {
        return one(server, "postgres", "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = " + lit(db));
    }

    static String one(EmbeddedServer server, String db, String sql) throws SQLException {
        try (Connection c = server.connect(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    static String lit(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
