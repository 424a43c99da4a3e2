package io.pgmigrate.it;

import static io.pgmigrate.it.FullMigrationIT.one;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgmigrate.embedded.EmbeddedServer;
import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.testbed.CliRun;
import io.pgmigrate.testbed.Launcher;
import io.pgmigrate.testbed.TestServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A migration SIGKILLed with the fast-load settings applied, then given up: {@code pg-migrate revert-settings} puts
 * the target back as the state folder records it (the DBA's own earlier ALTER SYSTEM value included), touches no
 * other setting, refuses while a run holds the state folder, and run again says nothing is left. What the killed run
 * left running it stops first: its pg_dump, still waiting for a lock on the source, and its session in the target
 * database it had not finished (played by a test session under the tool's application name). The target is a
 * private server (the test changes its postgresql.auto.conf); the command logs into a database with an odd name.
 */
class RevertSettingsIT {
    private static final String DB = "rvs_db";
    private static final String ODD_DB = "rvs \"Odd\" db'x";

    private final EmbeddedServer source = TestServers.get(TestServers.SOURCE_12);

    @TempDir
    Path home;

    @Test
    void revertSettingsPutsBackWhatAKilledRunLeftAndNothingElse() throws Exception {
        try (EmbeddedServer target = TestServers.fresh(TestServers.TARGET_17)) {
            createSource();
            try (Connection c = target.connect("postgres"); Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE " + Identifiers.quote(ODD_DB));
                st.execute("ALTER SYSTEM SET maintenance_work_mem = '77MB'"); // the DBA's own, to be put back
                st.execute("ALTER SYSTEM SET work_mem = '5MB'"); // the DBA's own, not pg-migrate's: left alone
                st.execute("SELECT pg_reload_conf()");
            }
            Path stateDir = home.resolve("state dir");
            Path state = stateDir.resolve("pg_migrate_state");
            List<String> args = new ArrayList<>(Launcher.SMALL_KNOBS);
            args.addAll(List.of("--include-db", "rvs_*", "--mode", "dump", "--state-dir", stateDir.toString()));

            Connection lock = lockItems(); // held until revert-settings has run: the killed run's pg_dump waits
            List<ProcessHandle> orphans;
            try (Launcher run = Launcher.migrate(home, source, target, args)) {
                run.waitUntil(Duration.ofSeconds(60), "the settings are applied and pg_dump waits for the lock",
                        () -> "off".equals(one(target, "postgres", "SHOW synchronous_commit"))
                                && pgDumpWaitsForLock());

                CliRun.Result busy = revertSettings(target, stateDir);
                assertThat(busy.exitCode()).as(busy.toString()).isEqualTo(5);
                assertThat(busy.errorLines()).as(busy.toString()).singleElement().asString()
                        .contains("another pg-migrate run is using the state folder");
                assertThat(one(target, "postgres", "SHOW synchronous_commit")).as("left to the run").isEqualTo("off");

                // SIGKILL, not run.signal(), whose remembered children the Launcher would kill on close
                ProcessHandle.of(run.pid()).orElseThrow().destroyForcibly();
                assertThat(run.waitFor(Duration.ofSeconds(10))).isEqualTo(128 + 9);
                orphans = run.processesMentioningHome();
            }
            assertThat(orphans).as("the killed run's pg_dump, still waiting").isNotEmpty().allMatch(Launcher::isRunning);
            // the killed run's statement still running in the target database it created (an index build, say)
            Connection leftover = target.connect(DB);
            try (Statement st = leftover.createStatement()) {
                st.execute("SET application_name = 'pg-migrate'");
            }
            Thread sleeper = new Thread(() -> {
                try (Statement st = leftover.createStatement()) {
                    st.execute("SELECT pg_sleep(60)");
                } catch (SQLException e) {
                    // ended by revert-settings
                }
            });
            sleeper.start();
            assertThat(autoConf(target)).as("left applied by the killed run").isEqualTo(Map.of(
                    "synchronous_commit", "off", "maintenance_work_mem", "2GB",
                    "checkpoint_completion_target", "0.9", "work_mem", "5MB"));
            assertThat(one(target, "postgres", "SHOW synchronous_commit")).isEqualTo("off");
            assertThat(state.resolve("target_settings.json")).exists();

            CliRun.Result elsewhere = revertSettings(source, stateDir, "postgres");
            assertThat(elsewhere.exitCode()).as(elsewhere.toString()).isEqualTo(5);
            assertThat(elsewhere.errorLines()).as(elsewhere.toString()).singleElement().asString()
                    .contains("connect to that target").doesNotContain("remove both state folders");
            assertThat(state.resolve("target_settings.json")).as("kept for its own target").exists();
            assertThat(orphans).as("left alone by a refused revert-settings").allMatch(Launcher::isRunning);

            CliRun.Result reverted = revertSettings(target, stateDir);
            lock.close();
            leftover.close();
            assertThat(reverted.exitCode()).as(reverted.toString()).isZero();
            assertThat(orphans).as("stopped by revert-settings").noneMatch(Launcher::isRunning);
            sleeper.join(10_000);
            assertThat(one(target, "postgres", "SELECT count(*)::text FROM pg_stat_activity "
                    + "WHERE application_name = 'pg-migrate'")).as("sessions of the killed run").isEqualTo("0");
            assertThat(reverted.stdout().lines().toList()).as(reverted.toString()).containsExactly(
                    "stopped what the crashed run left running: 1 process(es) on this machine, 1 session(s) on "
                            + "the target",
                    "reverted the fast-load settings on the target " + target.host() + ":" + target.port()
                            + ": synchronous_commit reset, maintenance_work_mem back to '77MB', "
                            + "checkpoint_completion_target reset");
            assertThat(autoConf(target)).as("the DBA's own ALTER SYSTEM values only")
                    .isEqualTo(Map.of("maintenance_work_mem", "77MB", "work_mem", "5MB"));
            assertThat(setting(target, "synchronous_commit")).isEqualTo("on default");
            assertThat(setting(target, "checkpoint_completion_target")).startsWith("0.9 ")
                    .doesNotEndWith("configuration file");
            assertThat(setting(target, "maintenance_work_mem")).isEqualTo("78848 configuration file");
            assertThat(setting(target, "work_mem")).isEqualTo("5120 configuration file");
            assertThat(state.resolve("target_settings.json")).doesNotExist();

            CliRun.Result again = revertSettings(target, stateDir);
            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(again.stdout().lines().toList()).as(again.toString())
                    .containsExactly("nothing to revert: no fast-load settings nor memberships of the target login are "
                            + "left by the run of " + state);
            assertThat(autoConf(target)).isEqualTo(Map.of("maintenance_work_mem", "77MB", "work_mem", "5MB"));
        }
    }

    private CliRun.Result revertSettings(EmbeddedServer target, Path stateDir) {
        return revertSettings(target, stateDir, ODD_DB);
    }

    private CliRun.Result revertSettings(EmbeddedServer target, Path stateDir, String db) {
        return new CliRun(home).env("PGMIGRATE_TO_PASS", target.password())
                .args("revert-settings", "--to-host", target.host(), "--to-port", Integer.toString(target.port()),
                        "--to-user", target.superuser(), "--to-db", db, "--state-dir", stateDir.toString())
                .run();
    }

    /** The settings postgresql.auto.conf holds (ALTER SYSTEM's), name to value. */
    private static Map<String, String> autoConf(EmbeddedServer server) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT name, setting FROM pg_file_settings "
                     + "WHERE sourcefile LIKE '%postgresql.auto.conf' AND applied")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    /** A new session's value of a setting and where it comes from, e.g. "on default". */
    private static String setting(EmbeddedServer server, String name) throws SQLException {
        return one(server, "postgres", "SELECT setting || ' ' || source FROM pg_settings WHERE name = "
                + FullMigrationIT.lit(name));
    }

    private void createSource() throws SQLException {
        try (Connection c = source.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + Identifiers.quote(DB));
        }
        try (Connection c = source.connect(DB); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE items (id int PRIMARY KEY)");
            st.execute("INSERT INTO items SELECT generate_series(1, 100)");
        }
    }

    /** Holds pg_dump back: a session with an ACCESS EXCLUSIVE lock on items, until it rolls back. */
    private Connection lockItems() throws SQLException {
        Connection c = source.connect(DB);
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("LOCK TABLE items IN ACCESS EXCLUSIVE MODE");
        }
        return c;
    }

    private boolean pgDumpWaitsForLock() throws SQLException {
        return !"0".equals(one(source, "postgres", "SELECT count(*)::text FROM pg_stat_activity WHERE datname = "
                + FullMigrationIT.lit(DB) + " AND application_name = 'pg-migrate' AND wait_event_type = 'Lock'"));
    }
}
