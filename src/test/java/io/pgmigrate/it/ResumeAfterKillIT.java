package io.pgmigrate.it;

import static io.pgmigrate.it.FullMigrationIT.counts;
import static io.pgmigrate.it.FullMigrationIT.one;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgmigrate.embedded.EmbeddedServer;
import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.testbed.Launcher;
import io.pgmigrate.testbed.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged tool is SIGKILLed (no handler, no shutdown hook, nothing reverted) while one database is being
 * restored by pg_restore -j (dump mode; stream mode stopped during its copy and resumed is in StreamModeIT), and run again with the same arguments: it stops the pg_restore the killed run left behind, reverts the
 * target settings the killed run left applied, skips what was done, re-creates and restores the database whose
 * restore did not finish, and the data verifies.
 *
 * <p>The restore is kept running deterministically, not by size: before it starts, a test session on the target
 * database locks {@code pg_largeobject}, which pg_restore needs to write the database's large object. So the
 * orphaned pg_restore would wait for ever; only the second run can end it. (To take that lock in time, the test
 * first holds the dump of that database back the same way on the source, until the target database exists.)
 */
class ResumeAfterKillIT {
    private static final String SMALL = "rak_small";
    private static final String BIG = "rak_big";
    private static final int BIG_ROWS = 300_000;

    private final EmbeddedServer source = TestServers.get(TestServers.SOURCE_12);
    private final EmbeddedServer target = TestServers.get(TestServers.TARGET_17);

    @TempDir
    Path home;

    @Test
    void aRunKilledDuringARestoreIsCompletedByTheNextRun() throws Exception {
        createSource();
        List<String> args = new ArrayList<>(Launcher.SMALL_KNOBS);
        args.addAll(List.of("--include-db", "rak_*", "--mode", "dump"));
        Path state = home.resolve("pg_migrate_state");
        Connection restoreBlocker = null;
        // the first launcher stays open to the end: closing it SIGKILLs every process it has seen, orphans included
        try (Connection dumpBlocker = lockLargeObjects(source, BIG);
             Launcher first = Launcher.migrate(home, source, target, args)) {
            first.waitUntil(Duration.ofSeconds(60), BIG + " exists on the target and its dump waits",
                    () -> databaseExists(target, BIG) && waitsForLock(source, BIG));
            restoreBlocker = lockLargeObjects(target, BIG);
            dumpBlocker.rollback();
            first.waitUntil(Duration.ofSeconds(60), SMALL + " is done and the restore of " + BIG + " waits",
                    () -> Files.exists(state.resolve(SMALL + ".analyzed"))
                            && Files.exists(state.resolve(BIG + ".restoring"))
                            && !first.descendants("pg_restore").isEmpty() && waitsForLock(target, BIG));
            List<ProcessHandle> pgRestore = first.descendants("pg_restore");

            first.signal("KILL");
            assertThat(first.waitFor(Duration.ofSeconds(10))).isEqualTo(128 + 9);

            assertThat(pgRestore).as("pg_restore, orphaned, still waiting").allMatch(Launcher::isRunning);
            assertThat(state.resolve("children.json")).as("lists the orphans for the next run").exists();
            // crash path: nothing reverted the target settings
            assertThat(one(target, "postgres", "SHOW synchronous_commit")).isEqualTo("off");
            assertThat(one(target, "postgres", "SHOW fsync")).as("never turned off").isEqualTo("on");
            assertThat(one(target, "postgres", "SHOW full_page_writes")).as("never turned off").isEqualTo("on");
            assertThat(state.resolve("target_settings.json")).exists();
            assertThat(state.resolve(BIG + ".dumped")).exists();
            assertThat(state.resolve(BIG + ".done")).doesNotExist();

            try (Launcher second = Launcher.migrate(home, source, target, args)) {
                assertThat(second.waitFor(Duration.ofSeconds(120))).as(second.outputTail()).isZero();

                assertThat(pgRestore).as("the orphaned pg_restore").noneMatch(Launcher::isRunning);
                assertThat(second.stderr()).as(second.outputTail())
                        .contains("left running by an earlier run that ended abruptly")
                        .contains("an earlier run left the target's fast-load settings applied")
                        .contains("re-created target database \"" + BIG + "\"");
                assertThat(second.processesMentioningHome()).isEmpty();

                var small = second.summaryRow(SMALL);
                assertThat(small).as(second.outputTail()).containsEntry("status", "done")
                        .containsEntry("dump", "earlier").containsEntry("restore", "earlier")
                        .containsEntry("verify", "earlier");
                var big = second.summaryRow(BIG);
                assertThat(big).as(second.outputTail()).containsEntry("status", "done")
                        .containsEntry("dump", "earlier");
                assertThat(big.get("restore")).as("restored again").matches("\\d+\\.\\ds");
            }

            for (String db : List.of(SMALL, BIG)) {
                assertThat(counts(target, db)).as("row counts of %s", db).isEqualTo(counts(source, db)).isNotEmpty();
                assertThat(state.resolve(db + ".done")).exists();
                assertThat(state.resolve(db + ".restoring")).doesNotExist();
            }
            assertThat(counts(target, BIG)).containsEntry("public.big", (long) BIG_ROWS);
            assertThat(one(target, BIG, "SELECT string_agg(convert_from(lo_get(oid), 'UTF8'), ',') "
                    + "FROM pg_largeobject_metadata")).isEqualTo("a large object");

            assertThat(one(target, "postgres", "SHOW fsync")).isEqualTo("on");
            assertThat(one(target, "postgres", "SHOW synchronous_commit")).isEqualTo("on");
            assertThat(one(target, "postgres", "SELECT count(*)::text FROM pg_file_settings "
                    + "WHERE sourcefile LIKE '%postgresql.auto.conf'")).isEqualTo("0");
            assertThat(state.resolve("target_settings.json")).doesNotExist();
        } finally {
            closeQuietly(restoreBlocker); // the second run ended its session when it re-created the database
        }
    }

    private void createSource() throws SQLException {
        try (Connection c = source.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + Identifiers.quote(SMALL));
            st.execute("CREATE DATABASE " + Identifiers.quote(BIG));
        }
        try (Connection c = source.connect(SMALL); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE notes (id int PRIMARY KEY, body text)");
            st.execute("INSERT INTO notes SELECT g, 'note ' || g FROM generate_series(1, 1000) g");
        }
        try (Connection c = source.connect(BIG); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE big (id int PRIMARY KEY, v int NOT NULL)");
            st.execute("INSERT INTO big SELECT g, g % 1000 FROM generate_series(1, " + BIG_ROWS + ") g");
            st.execute("CREATE INDEX big_v ON big (v)");
            st.execute("CREATE TABLE small_side (id int PRIMARY KEY REFERENCES big)");
            st.execute("INSERT INTO small_side SELECT g FROM generate_series(1, 100) g");
            st.execute("SELECT lo_from_bytea(0, convert_to('a large object', 'UTF8'))");
        }
    }

    /** A session holding an ACCESS EXCLUSIVE lock on pg_largeobject of db until it is closed or rolled back. */
    private static Connection lockLargeObjects(EmbeddedServer server, String db) throws SQLException {
        Connection c = server.connect(db);
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("LOCK TABLE pg_catalog.pg_largeobject IN ACCESS EXCLUSIVE MODE");
        }
        return c;
    }

    private static boolean databaseExists(EmbeddedServer server, String db) throws SQLException {
        return count(server, "SELECT count(*) FROM pg_database WHERE datname = ?", db) > 0;
    }

    /** A session of the tool's (pg_dump, pg_restore) waits for a lock in db. */
    private static boolean waitsForLock(EmbeddedServer server, String db) throws SQLException {
        return count(server, "SELECT count(*) FROM pg_stat_activity WHERE datname = ? "
                + "AND application_name = 'pg-migrate' AND wait_event_type = 'Lock'", db) > 0;
    }

    private static int count(EmbeddedServer server, String sql, String db) throws SQLException {
        try (Connection c = server.connect("postgres"); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, db);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            // its backend was terminated: nothing to close
        }
    }
}
