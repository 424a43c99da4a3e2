package io.pgmigrate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmigrate.MigrationException;
import io.pgmigrate.config.Endpoint;
import io.pgmigrate.embedded.EmbeddedServer;
import io.pgmigrate.postgres.TargetWal;
import io.pgmigrate.state.StateStore;
import io.pgmigrate.testbed.TestServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The target's fast-load settings and what makes the load durable without them, on a server whose WAL writer waits
 * 10 s between rounds (so an asynchronous commit stays unflushed long enough to see) and which takes no checkpoint
 * of its own during the test.
 */
class TargetTuningIT {
    private static EmbeddedServer server;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws SQLException {
        server = TestServers.fresh(TestServers.TARGET_17, Map.of("wal_writer_delay", "10s",
                "checkpoint_timeout", "1h", "max_wal_size", "4GB"));
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE async_commits (label text)");
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** full_page_writes stays on, so the revert needs no checkpoint: the run's commits are durable through the WAL. */
    @Test
    void revertingTakesNoCheckpointAndLeavesTheRunsCommitsOnDisk() throws Exception {
        Endpoint target = server.endpoint("target");
        try (TargetWal wal = new TargetWal(target)) {
            TargetTuning tuning = new TargetTuning(target, state(), wal);
            assertThat(tuning.apply()).isTrue();
            assertThat(show("synchronous_commit")).isEqualTo("off");
            assertThat(show("full_page_writes")).isEqualTo("on");
            String checkpoint = checkpointLsn();

            String committed = commitAsynchronously("revert");
            assertThat(flushed(committed)).as("the WAL writer has not flushed the commit yet").isFalse();
            tuning.revert();

            assertThat(flushed(committed)).isTrue();
            assertThat(show("synchronous_commit")).isEqualTo("on");
            assertThat(checkpointLsn()).as("no checkpoint").isEqualTo(checkpoint);
        }
    }

    /** What a marker waits for: every commit the server made before it is on disk. */
    @Test
    void aFlushMakesEarlierAsynchronousCommitsOfOtherSessionsDurable() throws Exception {
        try (TargetWal wal = new TargetWal(server.endpoint("target"))) {
            String first = commitAsynchronously("flush 1");
            assertThat(flushed(first)).as("the WAL writer has not flushed the commit yet").isFalse();
            wal.flush();
            assertThat(flushed(first)).isTrue();
            String second = commitAsynchronously("flush 2"); // the same connection serves the next flush
            wal.flush();
            assertThat(flushed(second)).isTrue();
        }
    }

    /** An earlier version turned full_page_writes off: its leftover is reverted with the checkpoint it needs. */
    @Test
    void aLeftoverThatTurnedFullPageWritesOffIsRevertedWithACheckpoint() throws Exception {
        Endpoint target = server.endpoint("target");
        StateStore state = leftover(Map.of("full_page_writes", "off"));
        exec("ALTER SYSTEM SET full_page_writes = off", "SELECT pg_reload_conf()");
        String checkpoint = checkpointLsn();
        try (TargetWal wal = new TargetWal(target)) {
            assertThat(new TargetTuning(target, state, wal).revertLeftovers()).isTrue();
        }
        assertThat(show("full_page_writes")).isEqualTo("on");
        assertThat(checkpointLsn()).isNotEqualTo(checkpoint);
        assertThat(state.readJson(TargetTuning.FILE, TargetTuning.Record.class)).isEmpty();
    }

    /**
     * The names in the record are read back from a file: each is one quoted name, never SQL. A record naming "all"
     * must not become ALTER SYSTEM RESET ALL, which would drop a DBA's own ALTER SYSTEM settings.
     */
    @Test
    void aRecordedNameIsQuotedNotRunAsSql() throws Exception {
        Endpoint target = server.endpoint("target");
        StateStore state = leftover(Map.of("all", "off"));
        exec("ALTER SYSTEM SET work_mem = '5MB'");
        try (TargetWal wal = new TargetWal(target)) {
            assertThatThrownBy(() -> new TargetTuning(target, state, wal).revertLeftovers())
                    .isInstanceOf(SQLException.class).hasMessageContaining("\"all\"");
            assertThat(autoConf()).as("the DBA's setting").isEqualTo("work_mem=5MB");
        } finally {
            exec("ALTER SYSTEM RESET work_mem");
        }
    }

    /**
     * The fast-load settings found in postgresql.auto.conf are not the DBA's (a run with another state folder left
     * them): recorded as "previous", the revert would have put synchronous_commit off back for good. The run stops
     * before it changes or records anything.
     */
    @Test
    void fastLoadSettingsLeftByAnotherStateFolderStopTheRunInsteadOfBeingKept() throws Exception {
        Endpoint target = server.endpoint("target");
        exec("ALTER SYSTEM SET synchronous_commit = 'off'", "ALTER SYSTEM SET maintenance_work_mem = '2GB'",
                "ALTER SYSTEM SET checkpoint_completion_target = '0.9'");
        try (TargetWal wal = new TargetWal(target)) {
            assertThatThrownBy(() -> new TargetTuning(target, state(), wal).apply())
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("already holds pg-migrate's fast-load settings");
            assertThat(work.resolve("pg_migrate_state").resolve(TargetTuning.FILE)).doesNotExist();
        } finally {
            exec("ALTER SYSTEM RESET synchronous_commit", "ALTER SYSTEM RESET maintenance_work_mem",
                    "ALTER SYSTEM RESET checkpoint_completion_target");
        }
    }

    private StateStore state() {
        return new StateStore(work.resolve("pg_migrate_state"), work.resolve("pg_verify_state"));
    }

    /** A state folder holding the record a crashed run left: these settings applied, none set before. */
    private StateStore leftover(Map<String, String> applied) {
        Endpoint target = server.endpoint("target");
        StateStore state = state();
        state.writeJson(TargetTuning.FILE, new TargetTuning.Record(target.host(), target.port(), applied, Map.of()));
        return state;
    }

    private static void exec(String... statements) throws SQLException {
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    /** Commits a row with synchronous_commit off; returns the WAL position just past its commit record. */
    private static String commitAsynchronously(String label) throws SQLException {
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("SET synchronous_commit = off");
            st.execute("INSERT INTO async_commits VALUES ('" + label + "')");
            return one(st, "SELECT pg_current_wal_insert_lsn()");
        }
    }

    private static boolean flushed(String lsn) throws SQLException {
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
            return one(st, "SELECT pg_current_wal_flush_lsn() >= '" + lsn + "'::pg_lsn").equals("t");
        }
    }

    private static String checkpointLsn() throws SQLException {
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
            return one(st, "SELECT checkpoint_lsn FROM pg_control_checkpoint()");
        }
    }

    /** The settings in postgresql.auto.conf, name=value, comma-separated. */
    private static String autoConf() throws SQLException {
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
            return one(st, "SELECT coalesce(string_agg(name || '=' || setting, ',' ORDER BY name), '') "
                    + "FROM pg_file_settings WHERE sourcefile LIKE '%postgresql.auto.conf'");
        }
    }

    private static String show(String setting) throws SQLException {
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
            return one(st, "SHOW " + setting);
        }
    }

    private static String one(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
