package io.pgmigrate.it;

import static io.pgmigrate.testbed.Fixture.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmigrate.embedded.EmbeddedServer;
import io.pgmigrate.process.ChildProcesses;
import io.pgmigrate.process.ClientTools;
import io.pgmigrate.process.ProcessRunner;
import io.pgmigrate.process.ToolLocator;
import io.pgmigrate.testbed.CliRun;
import io.pgmigrate.testbed.Launcher;
import io.pgmigrate.testbed.TestServers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input as a user meets it: every mistake ends with ONE line on stderr (no stack trace), a documented exit code,
 * and nothing changed on the target; and secrets never reach argv, files or output. A run goes through the packaged
 * launcher where it needs a process of its own (environment variables, a pid to look at, HOME), else through
 * Main.run in this JVM, which is what the launcher's JVM runs ({@link CliRun#inThisJvm()}): a JVM start saved per run.
 * Each test has its own name prefix for databases and roles, since the servers are shared with the whole suite.
 */
class BadInputIT {
    private static final String SOURCE_VERSION = TestServers.SOURCE_12;
    private static final String TARGET_VERSION = TestServers.TARGET_17;

    @TempDir
    Path work;

    // ------------------------------------------------------------------ 1, 2: logins and reachability

    @Test
    void aWrongPasswordIsOneLineNamingTheOptionAndTheVariable() throws Exception {
        EmbeddedServer source = TestServers.get(SOURCE_VERSION);
        EmbeddedServer target = TestServers.get(TARGET_VERSION);

        List<String> args = new ArrayList<>(endpoints(source, target));
        args.set(args.indexOf("--from-pass") + 1, "wrong-source-pw");
        CliRun.Result r = cli().args(args).args(small("bi_pw")).run();
        String line = oneErrorLine(r, 4);
        assertThat(line).contains("password authentication failed").contains("source")
                .contains("--from-pass").contains("PGMIGRATE_FROM_PASS").doesNotContain("wrong-source-pw");

        CliRun.Result viaEnv = cli().env("PGMIGRATE_TO_PASS", "wrong-target-pw")
                .args(withoutPasswords(source, target)).env("PGMIGRATE_FROM_PASS", source.password())
                .args(small("bi_pw")).run();
        assertThat(oneErrorLine(viaEnv, 4)).contains("password authentication failed").contains("target")
                .contains("--to-pass").contains("PGMIGRATE_TO_PASS");
        assertThat(viaEnv.stderr()).doesNotContain("wrong-target-pw");
        assertNothingOnTarget(target, "bi_pw");
    }

    @Test
    void anUnreachableServerIsOneLineNamingHostAndPortOptions() throws Exception {
        EmbeddedServer source = TestServers.get(SOURCE_VERSION);
        EmbeddedServer target = TestServers.get(TARGET_VERSION);
        int nothing = freePort();

        List<String> args = new ArrayList<>(endpoints(source, target));
        args.set(args.indexOf("--from-port") + 1, Integer.toString(nothing));
        assertThat(oneErrorLine(cli().args(args).args(small("bi_reach")).run(), 4))
                .contains("cannot reach the source at 127.0.0.1:" + nothing + " (connection refused)")
                .contains("--from-host/--from-port");

        args = new ArrayList<>(endpoints(source, target));
        args.set(args.indexOf("--to-port") + 1, Integer.toString(nothing));
        assertThat(oneErrorLine(cli().args(args).args(small("bi_reach")).run(), 4))
                .contains("cannot reach the target at 127.0.0.1:" + nothing + " (connection refused)")
                .contains("--to-host/--to-port");
    }

    /**
     * The source login must be a superuser (pg_dump, the password hashes), for migrate and verify alike; the target's
     * too, unless it has CREATEROLE and CREATEDB (a managed target, ManagedTargetIT): a login that lacks CREATEROLE
     * is refused before any change, with what it lacks. verify reads a managed target as it can.
     */
    @Test
    void aLoginThatIsNotASuperuserIsRefusedOnEitherServerBeforeAnyChange() throws Exception {
        EmbeddedServer source = TestServers.get(SOURCE_VERSION);
        EmbeddedServer target = TestServers.get(TARGET_VERSION);
        smallDatabase(source, "bi_nosu", "bi_nosu_db");
        String login = "bi_plain_login";
        execute(source, "postgres", "CREATE ROLE " + login + " LOGIN CREATEDB CREATEROLE PASSWORD 'plain-pw'");
        execute(target, "postgres", "CREATE ROLE " + login + " LOGIN CREATEDB PASSWORD 'plain-pw'");
        List<String> autoConfBefore = autoConfEntries(target);
        try {
            for (String side : List.of("to", "from")) {
                EmbeddedServer server = side.equals("from") ? source : target;
                List<String> args = new ArrayList<>(endpoints(source, target));
                args.set(args.indexOf("--" + side + "-user") + 1, login);
                args.set(args.indexOf("--" + side + "-pass") + 1, "plain-pw");
                String expected = "the " + (side.equals("from") ? "source" : "target") + " 127.0.0.1:" + server.port()
                        + ": user " + login + " is not a superuser";
                assertThat(oneErrorLine(cli().args(args).args(small("bi_nosu", side)).run(), 3))
                        .contains(expected).contains("connect as a superuser with --" + side + "-user")
                        .contains(side.equals("to") ? "lacks CREATEROLE" : "pg_dump");
                if (side.equals("from")) {
                    assertThat(oneErrorLine(cli().args("verify").args(args).args("--include-db", "bi_nosu*").run(),
                            3)).contains(expected).contains("password hashes");
                }
            }
            assertNothingOnTarget(target, "bi_nosu");
            assertThat(autoConfEntries(target)).isEqualTo(autoConfBefore);
        } finally {
            for (EmbeddedServer server : List.of(source, target)) {
                execute(server, "postgres", "DROP ROLE " + login);
            }
        }
    }

    /**
     * An SQL error a server raises during the checks (here a lock timeout on a catalog the checks read) is
     * one line with the SQLSTATE and what to do, and exit 3: exit 4 says a server could not be reached.
     */
    @Test
    void anSqlErrorDuringTheChecksIsOneLineAndNotAConnectionError() throws Exception {
        EmbeddedServer source = TestServers.get(SOURCE_VERSION);
        EmbeddedServer target = TestServers.get(TARGET_VERSION);
        smallDatabase(source, "bi_lock", "bi_lock_db");
        try (Connection lock = source.connect("bi_lock_db")) {
            lock.setAutoCommit(false);
            try (Statement st = lock.createStatement()) {
                st.execute("LOCK TABLE pg_catalog.pg_extension IN ACCESS EXCLUSIVE MODE");
            }
            CliRun.Result r = cli().env("PGOPTIONS", "-c lock_timeout=500").args(endpoints(source, target))
                    .args(small("bi_lock")).run();
            lock.rollback();
            assertThat(oneErrorLine(r, 3)).contains("reading the source databases")
                    .contains("[55P03]").contains("lock timeout").contains("raise lock_timeout");
        }
        assertNothingOnTarget(target, "bi_lock");
    }

    /**
     * A database that fails is named in the summary with one line per error, though pgjdbc puts the server's hint on
     * a line of its own: here a setting 12 took ("on", md5) that 14 and later refuse, with a hint.
     */
    @Test
    void aDatabaseFailureIsOneLineInTheSummary() throws Exception {
        EmbeddedServer source = TestServers.get(SOURCE_VERSION);
        EmbeddedServer target = TestServers.get(TARGET_VERSION);
        smallDatabase(source, "bi_line", "bi_line_db");
        execute(source, "postgres", "ALTER DATABASE bi_line_db SET password_encryption = 'on'");
        CliRun.Result r = cli().args(endpoints(source, target)).args(small("bi_line")).run();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(6);
        List<String> errors = r.stdout().lines().filter(l -> l.startsWith("Error [bi_line_db]: ")).toList();
        assertThat(errors).as(r.stdout()).hasSize(1);
        assertThat(errors.get(0)).contains("password_encryption").contains("Available values")
                .contains("the data is in");
        assertThat(r.stdout()).doesNotContainPattern("(?m)^\\s+Hint:");
    }

    /**
     * Not an error, a warning before any change: an extension whose library the source preloads and the target does
     * not. The run goes on (the restore does not need it); what does need it then fails on the target, as warned.
     */
    @Test
    void aLibraryTheSourcePreloadsForAnExtensionAndTheTargetLacksIsAWarningBeforeAnyChange() throws Exception {
        EmbeddedServer target = TestServers.get(TARGET_VERSION);
        try (EmbeddedServer source = TestServers.fresh(SOURCE_VERSION,
                Map.of("shared_preload_libraries", "pg_stat_statements"))) {
            smallDatabase(source, "bi_preload", "bi_preload_db");
            execute(source, "bi_preload_db", "CREATE EXTENSION pg_stat_statements");
            CliRun.Result r = cli().args(endpoints(source, target)).args(small("bi_preload")).run();
            assertThat(r.exitCode()).as(r.toString()).isZero();
            List<String> lines = r.stderr().lines().toList();
            int warning = indexOf(lines, "the source preloads pg_stat_statements (shared_preload_libraries)");
            assertThat(warning).as(r.toString()).isNotNegative()
                    .isLessThan(indexOf(lines, "database(s) to migrate")); // the checks' last line
            assertThat(lines.get(warning)).contains("extension pg_stat_statements in \"bi_preload_db\"")
                    .contains("added to its shared_preload_libraries");
            assertThat(r.stdout()).contains("Note: the source preloads pg_stat_statements");
            assertThatThrownBy(() -> execute(target, "bi_preload_db", "SELECT count(*) FROM pg_stat_statements"))
                    .hasMessageContaining("shared_preload_libraries");
        }
    }

    // ------------------------------------------------------------------ 3: client tools

    @Test
    void aPgDumpOlderThanTheSourceNamesBothVersionsAndWhatToInstall() {
        EmbeddedServer source18 = TestServers.get(TestServers.TARGET_18);
        EmbeddedServer target = TestServers.get(TARGET_VERSION);
        ClientTools tools = new ToolLocator(new ProcessRunner(new ChildProcesses(null))).locate(null);
        assertThat(tools.version().major()).as("this test needs client tools older than 18").isLessThan(18);

        String line = oneErrorLine(cli().args(endpoints(source18, target)).args(small("bi_old")).run(), 3);
        assertThat(line).contains("pg_dump " + tools.version()).contains("PostgreSQL 18 source")
                .contains("postgresql-client-18");
    }

    @Test
    void aSourceNewerThanTheTargetIsRefusedBeforeAnyChange() throws Exception {
        // pg_dump 15 can dump the 15 source, so only the target's version is wrong
        EmbeddedServer source15 = TestServers.get(TestServers.PG15);
        EmbeddedServer target14 = TestServers.get(TestServers.SOURCE_14);
        smallDatabase(source15, "bi_newer", "bi_newer_db");

        String line = oneErrorLine(cli().args(endpoints(source15, target14)).args(small("bi_newer")).run(), 3);
        assertThat(line).contains("the source is PostgreSQL 15 and the target PostgreSQL 14")
                .contains("cannot be restored into an older one").contains("PostgreSQL 15 or newer");
        assertNothingOnTarget(target14, "bi_newer");
    }

    /**
     * A standby (in recovery, read-only) as the target is refused before any change: without the check the run got
     * past every other one, applied ALTER SYSTEM on it and failed on every role and database (exit 6). A standby
     * source is fine: pg_dump reads it (here a whole run from one). verify only reads, so it accepts a standby on
     * either side; there an unlogged table's rows and an unlogged sequence's value cannot be read: each is a
     * difference saying it was not compared and why (the database failed as "cannot be verified"), the rest is
     * compared.
     */
    @Test
    void aStandbyTargetIsRefusedBeforeAnyChangeAndAStandbySourceMigrates() throws Exception {
        EmbeddedServer source = TestServers.get(SOURCE_VERSION);
        EmbeddedServer target = TestServers.get(TARGET_VERSION);
        smallDatabase(source, "bi_standby", "bi_standby_db");
        try (EmbeddedServer standby = TestServers.fresh(TestServers.PG15)) {
            smallDatabase(standby, "bi_fromstandby", "bi_fromstandby_db");
            smallDatabase(standby, "bi_vunlogged", "bi_vunlogged_db");
            execute(standby, "bi_vunlogged_db", "CREATE UNLOGGED TABLE cache (id int PRIMARY KEY)",
                    "INSERT INTO cache SELECT generate_series(1, 10)", "CREATE UNLOGGED SEQUENCE ticket",
                    "SELECT nextval('ticket')");
            // from the primary it still is: pg_dump carries the unlogged table's rows
            CliRun.Result copy = cli().args(endpoints(standby, target)).args(small("bi_vunlogged", "unlogged")).run();
            assertThat(copy.exitCode()).as(copy.toString()).isZero();
            makeStandby(standby);
            List<String> autoConfBefore = autoConfEntries(standby);

            CliRun.Result r = cli().args(endpoints(source, standby)).args(small("bi_standby", "to")).run();
            assertThat(oneErrorLine(r, 3)).contains("the target 127.0.0.1:" + standby.port()
                    + " is a standby in recovery (read-only)").contains("point --to-host/--to-port at the primary");
            assertThat(autoConfEntries(standby)).isEqualTo(autoConfBefore);
            assertNothingOnTarget(standby, "bi_standby");
            assertThat(work.resolve("to").resolve("state").resolve("pg_migrate_state").resolve("run.json"))
                    .doesNotExist();

            CliRun.Result verify = cli().args("verify").args(endpoints(standby, standby))
                    .args("--include-db", "bi_fromstandby*").run();
            assertThat(verify.exitCode()).as(verify.toString()).isZero();
            // a standby cannot read an unlogged table or sequence: not compared, and said so, on either side
            for (boolean standbySource : List.of(true, false)) {
                String side = standbySource ? "source" : "target";
                CliRun.Result unlogged = cli().args("verify").args(standbySource ? endpoints(standby, target)
                        : endpoints(target, standby)).args("--include-db", "bi_vunlogged*").run();
                assertThat(unlogged.exitCode()).as(unlogged.toString()).isEqualTo(7);
                assertThat(unlogged.stdout()).as(unlogged.toString()).contains("\"bi_vunlogged_db\": 2 difference(s)");
                String notCompared = side + " not compared: the " + side + " is a standby, which cannot read unlogged ";
                assertThat(unlogged.stdout().lines().filter(l -> l.contains("public.cache") || l.contains("ticket")))
                        .as(unlogged.toString()).satisfiesExactlyInAnyOrder(
                                l -> assertThat(l).startsWith("  rows public.cache: ").contains(notCompared + "tables"),
                                l -> assertThat(l).startsWith("  sequence value public.ticket: ")
                                        .contains(notCompared + "sequences"));
            }
            execute(target, "postgres", "DROP DATABASE bi_vunlogged_db", "DROP ROLE bi_vunlogged_owner");

            CliRun.Result fromStandby = cli().args(endpoints(standby, target)).args(small("bi_fromstandby", "from"))
                    .run();
            assertThat(fromStandby.exitCode()).as(fromStandby.toString()).isZero();
            assertThat(rowCount(target, "bi_fromstandby_db")).isEqualTo(100);
        }
    }

    /**
     * A standby before 10 cannot export a snapshot, and pg_dump -j refuses one. Without the check, dump mode created
     * the roles and the target database, then pg_dump failed ("parallel dumps from standby servers are not
     * supported", exit 6), and stream mode migrated with each table read at its own moment while replay went on.
     * Now, while replay runs, both modes stop before any change (exit 3) saying to pause it or which server to use;
     * with replay paused (nothing changes on the standby) both migrate, dump mode with pg_dump -j 1 (-j 2 asked: its
     * workers would need a snapshot to share), and the summary says the run relies on the pause. The connection
     * budget counts what such a run opens: 12 slots are free (max_connections 16, 3 reserved, 1 the run checks with),
     * and the knobs given would need 14 with pg_dump -j 2 and a snapshot per database (dump mode), 15 with two per
     * database (stream mode), so both runs were refused; one pg_dump connection per database and no snapshot need 8
     * and 11.
     */
    @Test
    void aStandbySourceBefore10MigratesOnlyWithItsReplayPaused() throws Exception {
        EmbeddedServer target = TestServers.get(TARGET_VERSION);
        // 9.6 defaults: hot_standby off, and wal_level minimal, under which a hot standby cannot start
        try (EmbeddedServer standby = TestServers.fresh(TestServers.SOURCE_96,
                Map.of("hot_standby", "on", "wal_level", "replica", "max_connections", "16"))) {
            smallDatabase(standby, "bi_old_standby", "bi_old_standby_db");
            makeStandby(standby);
            refusedInBothModes(standby, target, "bi_old_standby").forEach((mode, line) -> {
                assertThat(line).contains("the source 127.0.0.1:" + standby.port() + " is a "
                        + "PostgreSQL 9.6 standby, which cannot export a snapshot").contains("SELECT "
                        + "pg_xlog_replay_pause()").contains("migrate from the primary or a standby of 10 or newer");
                assertThat(work.resolve(mode).resolve("state").resolve("pg_migrate_state").resolve("run.json"))
                        .doesNotExist();
            });

            execute(standby, "postgres", "SELECT pg_xlog_replay_pause()");
            Map<String, CliRun.Result> runs = migrateInBothModes(standby, target, "bi_old_standby");
            runs.values().forEach(r -> assertThat(r.stdout())
                    .contains("the source is a PostgreSQL 9.6 standby with WAL replay paused"));
            assertThat(runs.get("dump").stderr()).contains("dumping with pg_dump -j 1");
        }
    }

    /**
     * A standby of 10 or newer exports a snapshot: both modes migrate from it as from a primary, with no warning
     * about reading without one, and the verification finds the databases equal. Its unlogged tables have no rows
     * (they are not replicated) and cannot be read: a database holding one was refused only once the target had its
     * roles and the database (exit 6: dump mode's source counts, stream mode's copy failed); now before any change.
     * A partitioned table marked unlogged (10-17 allow it) holds no rows and its partitions are logged: it was
     * refused as an unlogged table, though both modes read only its partitions; now it migrates, verified equal.
     */
    @Test
    void aStandbySourceOf12MigratesFromOneSnapshotInBothModesButNotItsUnloggedTables() throws Exception {
        EmbeddedServer target = TestServers.get(TARGET_VERSION);
        try (EmbeddedServer standby = TestServers.fresh(TestServers.SOURCE_12)) {
            smallDatabase(standby, "bi_standby12", "bi_standby12_db");
            execute(standby, "bi_standby12_db", "CREATE UNLOGGED TABLE parted (id int, v text) PARTITION BY RANGE (id)",
                    "CREATE TABLE parted_1 PARTITION OF parted FOR VALUES FROM (0) TO (1000)",
                    "INSERT INTO parted SELECT g, 'p' FROM generate_series(1, 50) g");
            smallDatabase(standby, "bi_unlogged", "bi_unlogged_db");
            execute(standby, "bi_unlogged_db", "CREATE UNLOGGED TABLE cache (id int PRIMARY KEY)",
                    "INSERT INTO cache SELECT generate_series(1, 10)");
            makeStandby(standby);

            refusedInBothModes(standby, target, "bi_unlogged").values().forEach(line -> assertThat(line)
                    .contains("the source 127.0.0.1:" + standby.port() + " is a standby, which cannot read unlogged "
                            + "tables").contains("\"bi_unlogged_db\".public.cache")
                    .contains("migrate from the primary"));

            migrateInBothModes(standby, target, "bi_standby12").values()
                    .forEach(r -> assertThat(r.stdout()).doesNotContain("snapshot"));
            execute(target, "postgres", "DROP ROLE bi_unlogged_owner"); // every role came with the globals
        }
    }

    @Test
    void pgBinWithToolsOfAnOldVersionIsRefused() throws IOException {
        EmbeddedServer source = TestServers.get(SOURCE_VERSION);
        EmbeddedServer target = TestServers.get(TARGET_VERSION);
        Path bin = Files.createDirectories(work.resolve("fake-bin"));
        for (String tool : ToolLocator.TOOLS) {
            Path script = bin.resolve(tool);
            Files.writeString(script, "#!/bin/sh\necho '" + tool + " (PostgreSQL) 9.5.25'\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }

        String line = oneErrorLine(cli().args(endpoints(source, target)).args(small("bi_bin"))
                .args("--pg-bin", bin.toString()).run(), 3);
        assertThat(line).contains("pg_dump 9.5").contains("PostgreSQL 12 source").contains("postgresql-client-12");
    }

    @Test
    void aCompressionOrADumpRootTheRunCannotUseStopsItBeforeAnyChange() throws Exception {
        EmbeddedServer source = TestServers.get(SOURCE_VERSION);
        EmbeddedServer target = TestServers.get(TARGET_VERSION);
        smallDatabase(source, "bi_comp", "bi_comp_db");

        CliRun.Result unknown = cli().args(endpoints(source, target)).args(small("bi_comp", "unknown"))
                .args("--compress", "brotli").run();
        assertThat(oneErrorLine(unknown, 2)).contains("unknown compression 'brotli'");

        CliRun.Result tooNew = cli().args(endpoints(source, target)).args(small("bi_comp", "toonew"))
                .args("--compress", "zstd:3").run();
        assertThat(oneErrorLine(tooNew, 3)).contains("compression zstd needs pg_dump 16 or newer");

        Path file = Files.writeString(work.resolve("a-file"), "not a folder");
        List<String> args = new ArrayList<>(small("bi_comp", "root"));
        args.set(args.indexOf("--dump-root") + 1, file.resolve("dumps").toString());
        CliRun.Result root = cli().args(endpoints(source, target)).args(args).run();
        assertThat(oneErrorLine(root, 3)).contains("cannot create the dump folder " + file.resolve("dumps"))
                .contains("--dump-root");
        assertNothingOnTarget(target, "bi_comp");
    }

    // ------------------------------------------------------------------ 4: connection slots

    @Test
    void tooFewConnectionSlotsStopExplicitKnobsAndScaleDownDefaults() throws Exception {
        EmbeddedServer target = TestServers.get(TARGET_VERSION);
        try (EmbeddedServer source = TestServers.fresh(SOURCE_VERSION, Map.of("max_connections", "20"))) {
            smallDatabase(source, "bi_slots", "bi_slots_db");

            // the budget of dump mode's pg_dump -j and pg_restore -j (checked in stream mode too, first)
            CliRun.Result explicit = cli().args(endpoints(source, target)).args(dirs("explicit"))
                    .args("--include-db", "bi_slots*", "--dump-jobs", "24", "-p", "6", "--mode", "dump").run();
            // 6 × (1 + 24 + 1 snapshot) + --verify-concurrency (not given: down to 1) + 2 = 159
            assertThat(oneErrorLine(explicit, 3)).containsPattern("the source has \\d+ free connection slots")
                    .contains("--dump-parallel 6 × (1 + --dump-jobs 24 + 1 snapshot)").contains("= 159 are needed")
                    .contains("lower -p/--max-parallel or --dump-parallel and --dump-jobs")
                    .contains("raise max_connections on the source");
            assertNothingOnTarget(target, "bi_slots");

            // stream mode: 30 copy workers, for the whole server, cannot fit 20 connections whatever the defaults
            CliRun.Result copies = cli().args(endpoints(source, target)).args(dirs("copies"))
                    .args("--include-db", "bi_slots*", "--mode", "stream", "--table-jobs", "30").run();
            assertThat(oneErrorLine(copies, 3)).contains("stream mode needs").contains("on the source")
                    .contains("--table-jobs 30").contains("lower --table-jobs");
            assertNothingOnTarget(target, "bi_slots");

            CliRun.Result defaults = cli().args(endpoints(source, target)).args(dirs("defaults"))
                    .args("--include-db", "bi_slots*", "--mode", "dump").run();
            assertThat(defaults.exitCode()).as(defaults.toString()).isZero();
            List<String> budget = defaults.stderr().lines().filter(l -> l.contains("connection budget")).toList();
            assertThat(budget).as(defaults.stderr()).hasSize(1);
            assertThat(budget.get(0)).contains("free slots").contains("running with --dump-jobs");
            assertThat(rowCount(target, "bi_slots_db")).isEqualTo(100);

            // the default mode, stream, with every knob at its default fits the same server too: its own budget
            // scales the default knobs down further, and says so
            smallDatabase(source, "bi_slotst", "bi_slotst_db");
            CliRun.Result stream = cli().args(endpoints(source, target)).args(dirs("stream"))
                    .args("--include-db", "bi_slotst*").run();
            assertThat(stream.exitCode()).as(stream.toString()).isZero();
            List<String> streamBudget = stream.stderr().lines().filter(l -> l.contains("connection budget")).toList();
            assertThat(streamBudget).as(stream.stderr()).hasSize(2);
            // 16 free on the source: 1 × 2 (dump) + 3 × 2 (restore slots' snapshots) + 4 copies + 1 + 2 = 15
            assertThat(streamBudget.get(1)).contains("stream mode's --table-jobs 4 copy workers need room too")
                    .contains("--restore-parallel 3");
            assertThat(rowCount(target, "bi_slotst_db")).isEqualTo(100);
        }
    }

    // ------------------------------------------------------------------ 4: the source's lock table

    /**
     * pg_dump locks every table it dumps, in one transaction. This source's lock table is sized for 10 × 52 = 520
     * locks (max_locks_per_transaction 10; max_connections 30 and a 12's other processes), and took about 1045 in
     * one transaction, spare shared memory included. A database of 1201 tables, which pg_dump alone cannot dump there,
     * is refused before any change with what to set. Four databases of 401 tables each fit one at a time, not all
     * four at once: -p 4 dumped them together and the third failed ("out of shared memory"); they now take turns.
     * Other sessions' locks the check cannot foresee: pg_dump fails, and the line says PostgreSQL's hint, which the
     * first line of pg_dump's stderr alone left out.
     */
    @Test
    void aLockTableTooSmallForADatabaseStopsTheRunAndDumpsTakeTurnsInIt() throws Exception {
        EmbeddedServer target = TestServers.get(TARGET_VERSION);
        try (EmbeddedServer source = TestServers.fresh(SOURCE_VERSION,
                Map.of("max_locks_per_transaction", "10", "max_connections", "30"))) {
            smallDatabase(source, "bi_locks", "bi_locks_1");
            execute(source, "bi_locks_1", tables(1, 400));
            for (String db : List.of("bi_locks_2", "bi_locks_3", "bi_locks_4", "bi_lockbig")) {
                execute(source, "postgres", "CREATE DATABASE " + db + " TEMPLATE bi_locks_1");
            }
            execute(source, "bi_lockbig", tables(401, 1200));
            List<String> knobs = List.of("-p", "4", "--dump-jobs", "1", "--restore-jobs", "1", "--table-jobs", "2",
                    "--restore-parallel", "2", "--verify-concurrency", "2");

            CliRun.Result big = cli().args(endpoints(source, target)).args(dirs("big")).args(knobs)
                    .args("--include-db", "bi_lock*").run();
            assertThat(oneErrorLine(big, 3)).contains("database \"bi_lockbig\" has 1201 tables")
                    .contains("pg_dump locks every one").contains("holds about 520 locks")
                    .contains("raise max_locks_per_transaction on the source to at least 34");
            assertNothingOnTarget(target, "bi_lock");

            // pg_dump locks the tables in oid order: t400, made last, is held here, so each dump waits there holding
            // the 400 others, and the dumps that run at once hold their tables' locks together
            List<Connection> holders = new ArrayList<>();
            CliRun.Result turns;
            int dumpsAtOnce;
            try {
                for (int i = 1; i <= 4; i++) {
                    Connection holder = source.connect("bi_locks_" + i);
                    holders.add(holder);
                    holder.setAutoCommit(false);
                    try (Statement st = holder.createStatement()) {
                        st.execute("LOCK TABLE t400 IN ACCESS EXCLUSIVE MODE");
                    }
                }
                try (Launcher running = cli().args(endpoints(source, target)).args(dirs("turns")).args(knobs)
                        .args("--include-db", "bi_locks_*", "--mode", "dump").start()) {
                    String waiting = "SELECT count(*)::text FROM pg_stat_activity WHERE query LIKE 'LOCK TABLE %' "
                            + "AND wait_event_type = 'Lock'";
                    running.waitUntil(Duration.ofSeconds(60), "a pg_dump waits for t400",
                            () -> !column(source, waiting).get(0).equals("0"));
                    Launcher.sleep(Duration.ofSeconds(3)); // -p 4: the other dumps would have started by now
                    dumpsAtOnce = Integer.parseInt(column(source, waiting).get(0));
                    for (Connection holder : holders) {
                        holder.rollback();
                    }
                    turns = CliRun.Result.of(running, Duration.ofMinutes(2));
                }
            } finally {
                for (Connection holder : holders) {
                    holder.close();
                }
            }
            assertThat(turns.exitCode()).as(turns.toString()).isZero();
            assertThat(dumpsAtOnce).as("dumps holding their locks at once").isEqualTo(1);
            for (int i = 1; i <= 4; i++) {
                assertThat(rowCount(target, "bi_locks_" + i)).isEqualTo(100);
            }

            // the check sees the run's own tables only: another session holding 800 locks leaves pg_dump too few for
            // 401, and the database's error line carries what PostgreSQL says to do
            execute(target, "postgres", "DROP DATABASE bi_locks_1");
            try (Connection holder = source.connect("bi_lockbig"); Statement st = holder.createStatement()) {
                holder.setAutoCommit(false);
                for (int i = 401; i <= 1200; i++) {
                    st.execute("LOCK TABLE t" + i + " IN ACCESS SHARE MODE");
                }
                CliRun.Result full = cli().args(endpoints(source, target)).args(dirs("full")).args(knobs)
                        .args("--include-db", "bi_locks_1", "--mode", "dump").run();
                assertThat(full.exitCode()).as(full.toString()).isEqualTo(6);
                assertThat(full.stdout()).contains("Error [bi_locks_1]: pg_dump failed (exit 1): pg_dump: error: "
                        + "query failed: ERROR:  out of shared memory; HINT: You might need to increase "
                        + "max_locks_per_transaction.");
            }
        }
    }

    /** CREATE TABLE t{from} ... t{to}, each with a primary key. */
    private static String[] tables(int from, int to) {
        return IntStream.rangeClosed(from, to)
                .mapToObj(i -> "CREATE TABLE t" + i + " (id int PRIMARY KEY)").toArray(String[]::new);
    }

    // ------------------------------------------------------------------ 5, 6: the target and the state folder

    @Test
    void aTargetDatabaseWeDidNotCreateStopsTheRunBeforeAnyChange() throws Exception {
        EmbeddedServer source = TestServers.get(SOURCE_VERSION);
        EmbeddedServer target = TestServers.get(TARGET_VERSION);
        smallDatabase(source, "bi_foreign", "bi_foreign_a", "bi_foreign_b");
        execute(target, "postgres", "CREATE DATABASE bi_foreign_a");
        execute(target, "bi_foreign_a", "CREATE TABLE precious (id int PRIMARY KEY)",
                "INSERT INTO precious SELECT generate_series(1, 7)");
        List<String> rolesBefore = column(target, "SELECT rolname FROM pg_roles ORDER BY 1");
        List<String> databasesBefore = column(target, "SELECT datname FROM pg_database ORDER BY 1");
        List<String> autoConfBefore = autoConfEntries(target);

        CliRun.Result r = cli().args(endpoints(source, target)).args(small("bi_foreign")).run();
        assertThat(oneErrorLine(r, 3)).contains("bi_foreign_a").contains("already exists")
                .contains("not created by this migration");

        assertThat(column(target, "SELECT rolname FROM pg_roles ORDER BY 1")).isEqualTo(rolesBefore)
                .doesNotContain("bi_foreign_owner");
        assertThat(column(target, "SELECT datname FROM pg_database ORDER BY 1")).isEqualTo(databasesBefore)
                .doesNotContain("bi_foreign_b");
        assertThat(autoConfEntries(target)).isEqualTo(autoConfBefore).isEmpty();
        assertThat(column(target, "SHOW full_page_writes")).containsExactly("on");
        assertThat(column(target, "SHOW synchronous_commit")).containsExactly("on");
        try (Connection c = target.connect("bi_foreign_a"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM precious")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(7);
        }
    }

    @Test
    void aSelectedDatabaseThatAllowsNoConnectionsStopsTheRunBeforeAnyChange() throws Exception {
        EmbeddedServer source = TestServers.get(SOURCE_VERSION);
        EmbeddedServer target = TestServers.get(TARGET_VERSION);
        smallDatabase(source, "bi_closed", "bi_closed_db", "bi_closed_open");
        execute(source, "postgres", "ALTER DATABASE bi_closed_db ALLOW_CONNECTIONS false");
        try {
            CliRun.Result r = cli().args(endpoints(source, target)).args(small("bi_closed", "closed")).run();
            assertThat(oneErrorLine(r, 3)).contains("source database \"bi_closed_db\" does not allow connections")
                    .contains("cannot be dumped").contains("--exclude-db 'bi_closed_db'");
            assertNothingOnTarget(target, "bi_closed");
            // nor is it left out of a verification without a word
            CliRun.Result verify = cli().args("verify").args(endpoints(source, target))
                    .args("--include-db", "bi_closed*").run();
            assertThat(oneErrorLine(verify, 3)).contains("source database \"bi_closed_db\" does not allow connections");

            // the way out the line names
            CliRun.Result excluded = cli().args(endpoints(source, target)).args(small("bi_closed", "excluded"))
                    .args("--exclude-db", "bi_closed_db").run();
            assertThat(excluded.exitCode()).as(excluded.toString()).isZero();
            assertThat(rowCount(target, "bi_closed_open")).isEqualTo(100);
        } finally {
            // the source is shared: a database nobody can connect to would stop other tests' runs
            execute(source, "postgres", "DROP DATABASE bi_closed_db");
        }
    }

    /**
     * With --migrate-globals=false the roles are the DBA's to create on the target: one the selected databases name
     * and the target lacks stopped the run only at the restore, each database naming one created and half restored
     * (exit 6). Now the checks name every such role before any change, in both modes, each with its databases: an
     * owner (of a database, a table, an extension), a grantee (of a table, a database, an extension's view at its
     * creation), a role of default privileges, a policy or a setting. PUBLIC, a predefined role and a role the target has are not named; once the
     * roles exist there, the run goes through.
     */
    @Test
    void rolesTheDatabasesNameThatTheTargetLacksStopARunWithoutGlobalsBeforeAnyChange() throws Exception {
        EmbeddedServer source = TestServers.get(SOURCE_VERSION);
        EmbeddedServer target = TestServers.get(TARGET_VERSION);
        List<String> roles = List.of("bi_roles_reader", "bi_roles_defacl", "bi_roles_policy", "bi_roles_setting",
                "bi_roles_conn", "bi_roles Odd\"name", "bi_roles_ext", "bi_roles_initpriv");
        for (EmbeddedServer server : List.of(source, target)) {
            execute(server, "postgres", "CREATE ROLE bipresent_roles NOLOGIN");
        }
        for (String role : roles) {
            execute(source, "postgres", "CREATE ROLE " + q(role) + (role.endsWith("_ext") ? " SUPERUSER" : ""));
        }
        smallDatabase(source, "bi_roles", "bi_roles_db", "bi_roles_db2");
        execute(source, "bi_roles_db", "GRANT SELECT ON t TO bi_roles_reader, PUBLIC, pg_monitor, bipresent_roles",
                "ALTER DEFAULT PRIVILEGES FOR ROLE bi_roles_owner GRANT SELECT ON TABLES TO bi_roles_defacl",
                "CREATE POLICY p ON t TO bi_roles_policy USING (true)",
                "ALTER ROLE bi_roles_setting IN DATABASE bi_roles_db SET work_mem = '8MB'",
                "CREATE TABLE by_bootstrap (id int)", // the bootstrap superuser postgres: the target has it too
                "SET ROLE bi_roles_ext", "CREATE EXTENSION hstore");
        execute(source, "bi_roles_db2", "GRANT CONNECT ON DATABASE bi_roles_db2 TO bi_roles_conn",
                "GRANT SELECT ON t TO \"bi_roles Odd\"\"name\"",
                // named by pg_init_privs alone: pg_dump revokes from it what the extension's view no longer grants
                "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO bi_roles_initpriv",
                "CREATE EXTENSION pg_buffercache", "REVOKE SELECT ON pg_buffercache FROM bi_roles_initpriv",
                "ALTER DEFAULT PRIVILEGES REVOKE SELECT ON TABLES FROM bi_roles_initpriv");

        refusedInBothModes(source, target, "bi_roles", "--migrate-globals=false").values().forEach(line ->
                assertThat(line).contains("lacks 9 role(s) that the selected databases name")
                        .contains("--migrate-globals=false creates none: \"bi_roles Odd\"\"name\" (in \"bi_roles_db2\"), "
                                + "\"bi_roles_conn\" (in \"bi_roles_db2\"), \"bi_roles_defacl\" (in \"bi_roles_db\"), "
                                + "\"bi_roles_ext\" (in \"bi_roles_db\"), \"bi_roles_initpriv\" (in \"bi_roles_db2\"), "
                                + "\"bi_roles_owner\" (in \"bi_roles_db\", \"bi_roles_db2\"), \"bi_roles_policy\" (in "
                                + "\"bi_roles_db\"), \"bi_roles_reader\" (in \"bi_roles_db\"), \"bi_roles_setting\" (in "
                                + "\"bi_roles_db\"); create them on the target first, or let the run create them without "
                                + "--migrate-globals=false"));

        // created by the DBA as on the source (the owner's password hash too: the verification compares it)
        String hash = column(source, "SELECT rolpassword FROM pg_authid WHERE rolname = 'bi_roles_owner'").get(0);
        execute(target, "postgres", "CREATE ROLE bi_roles_owner LOGIN PASSWORD '" + hash + "'");
        for (String role : roles) {
            execute(target, "postgres", "CREATE ROLE " + q(role) + (role.endsWith("_ext") ? " SUPERUSER" : ""));
        }
        CliRun.Result r = cli().args(endpoints(source, target)).args(small("bi_roles"))
                .args("--migrate-globals=false").run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    /**
     * Roles named only inside setting values: a database's role setting, a role's in that database, a function's role
     * or session_authorization. Restored without them (a NOTICE), the run ended with exit 0 and "equal", and then the
     * database's sessions ran as their login, and the functions failed on every call ("role ... does not exist"), on
     * 15 and 17: named with the others before any change. Not named: a database's session_authorization, which the
     * login's own overrides on either server, and a name no role has on the source either.
     */
    @Test
    void rolesNamedOnlyInSettingValuesStopARunWithoutGlobalsBeforeAnyChange() throws Exception {
        EmbeddedServer source = TestServers.get(SOURCE_VERSION);
        EmbeddedServer target = TestServers.get(TARGET_VERSION);
        smallDatabase(source, "bi_setr", "bi_setr_db");
        List<String> named = List.of("bi_setr_as", "bi_setr_fn", "bi_setr_in", "bi_setr_sa");
        for (String role : named) {
            // the database's sessions run as bi_setr_as: the run's too, on both servers
            execute(source, "postgres", "CREATE ROLE " + role + (role.equals("bi_setr_as") ? " SUPERUSER" : ""));
        }
        execute(source, "postgres", "CREATE ROLE bi_setr_gone");
        execute(source, "bi_setr_db", "SET check_function_bodies = false",
                "CREATE FUNCTION f() RETURNS text LANGUAGE sql SET role = 'bi_setr_fn' AS 'SELECT current_user::text'",
                "CREATE FUNCTION g() RETURNS text LANGUAGE sql SET session_authorization = 'bi_setr_sa' "
                        + "AS 'SELECT session_user::text'",
                "CREATE FUNCTION h() RETURNS text LANGUAGE sql SET role = 'bi_setr_gone' AS 'SELECT 1'",
                "DROP ROLE bi_setr_gone");
        execute(source, "postgres", "CREATE ROLE bi_setr_dbsa",
                "ALTER DATABASE bi_setr_db SET role = 'bi_setr_as'",
                "ALTER DATABASE bi_setr_db SET session_authorization = 'bi_setr_dbsa'",
                "ALTER ROLE bi_setr_owner IN DATABASE bi_setr_db SET role = 'bi_setr_in'");
        String hash = column(source, "SELECT rolpassword FROM pg_authid WHERE rolname = 'bi_setr_owner'").get(0);
        execute(target, "postgres", "CREATE ROLE bi_setr_owner LOGIN PASSWORD '" + hash + "'");

        CliRun.Result refused = cli().args(endpoints(source, target)).args(small("bi_setr"))
                .args("--migrate-globals=false").run();
        assertThat(oneErrorLine(refused, 3)).contains("lacks 4 role(s) that the selected databases name")
                .contains("creates none: \"bi_setr_as\" (in \"bi_setr_db\"), \"bi_setr_fn\" (in \"bi_setr_db\"), "
                        + "\"bi_setr_in\" (in \"bi_setr_db\"), \"bi_setr_sa\" (in \"bi_setr_db\"); create them");
        assertThat(column(target, "SELECT datname FROM pg_database WHERE datname = 'bi_setr_db'")).isEmpty();

        for (String role : named) {
            execute(target, "postgres", "CREATE ROLE " + role + (role.equals("bi_setr_as") ? " SUPERUSER" : ""));
        }
        CliRun.Result r = cli().args(endpoints(source, target)).args(small("bi_setr"))
                .args("--migrate-globals=false").run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        try (Connection c = target.connect("bi_setr_db"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_user || ' ' || f() || ' ' || g()")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("bi_setr_as bi_setr_fn bi_setr_sa");
        }
    }

    /**
     * Each server's bootstrap superuser is its own: with --migrate-globals=false to a target initdb'd by another
     * (admin), the source's (postgres) counts as a role the databases name where it owns what a user made (a table)
     * or the public schema, whose owner pg_dump writes unless it is pg_database_owner (so on every source before 15),
     * and pg_restore gives them to it; not for the rest of what initdb made (plpgsql).
     */
    @Test
    void withoutGlobalsTheSourceBootstrapSuperuserIsNeededOnlyForWhatAUserMadeAsIt() throws Exception {
        EmbeddedServer source = TestServers.get(SOURCE_VERSION);
        smallDatabase(source, "bi_boot", "bi_boot_db");
        execute(source, "bi_boot_db", "CREATE TABLE by_bootstrap (id int)");
        try (EmbeddedServer target = TestServers.freshWithSuperuser(TARGET_VERSION, "admin")) {
            String hash = column(source, "SELECT rolpassword FROM pg_authid WHERE rolname = 'bi_boot_owner'").get(0);
            execute(target, "postgres", "CREATE ROLE bi_boot_owner LOGIN PASSWORD '" + hash + "'");
            CliRun.Result refused = cli().args(endpoints(source, target)).args(small("bi_boot"))
                    .args("--migrate-globals=false").run();
            assertThat(oneErrorLine(refused, 3)).contains("lacks 1 role(s)")
                    .contains("creates none: \"postgres\" (in \"bi_boot_db\");");

            execute(source, "bi_boot_db", "DROP TABLE by_bootstrap");
            assertThat(oneErrorLine(cli().args(endpoints(source, target)).args(small("bi_boot"))
                    .args("--migrate-globals=false").run(), 3)).as("a 12's public schema is postgres's")
                    .contains("creates none: \"postgres\" (in \"bi_boot_db\");");

            execute(source, "bi_boot_db", "ALTER SCHEMA public OWNER TO bi_boot_owner");
            CliRun.Result r = cli().args(endpoints(source, target)).args(small("bi_boot"))
                    .args("--migrate-globals=false").run();
            // migrated; a run without globals leaves the roles out of its verification (the source's postgres,
            // missing on the target, among them) and says so
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.stdout()).contains("1 of 1 databases migrated and verified")
                    .contains("not compared: the global objects").doesNotContain("Differs: ");
        }
    }

    /** The README's way to redo a database: deleting its markers alone stops the run; dropping it too redoes it. */
    @Test
    void redoingADatabaseTakesItsMarkersAndTheTargetDatabase() throws Exception {
        EmbeddedServer source = TestServers.get(SOURCE_VERSION);
        EmbeddedServer target = TestServers.get(TARGET_VERSION);
        smallDatabase(source, "bi_redo", "bi_redo_db");
        CliRun.Result first = cli().args(endpoints(source, target)).args(small("bi_redo")).run();
        assertThat(first.exitCode()).as(first.toString()).isZero();
        execute(source, "bi_redo_db", "INSERT INTO t VALUES (101, 'after the first run')");

        Path markers = work.resolve("state").resolve("pg_migrate_state");
        try (Stream<Path> files = Files.list(markers)) {
            for (Path marker : files.filter(f -> f.getFileName().toString().startsWith("bi_redo_db.")).toList()) {
                Files.delete(marker);
            }
        }
        CliRun.Result markersOnly = cli().args(endpoints(source, target)).args(small("bi_redo")).run();
        assertThat(oneErrorLine(markersOnly, 3)).contains("\"bi_redo_db\" already exists")
                .contains("not created by this migration");

        execute(target, "postgres", "DROP DATABASE bi_redo_db");
        CliRun.Result redone = cli().args(endpoints(source, target)).args(small("bi_redo")).run();
        assertThat(redone.exitCode()).as(redone.toString()).isZero();
        assertThat(rowCount(target, "bi_redo_db")).isEqualTo(101);
        assertThat(Files.readString(Path.of("README.md"))).as("the README says both steps")
                .contains("To redo a database, drop it on the target and delete its markers");
    }

    @Test
    void aStateFolderOfAnotherTargetIsRefused() throws Exception {
        EmbeddedServer source = TestServers.get(SOURCE_VERSION);
        EmbeddedServer targetA = TestServers.get(TARGET_VERSION);
        EmbeddedServer targetB = TestServers.get(TestServers.TARGET_18);
        smallDatabase(source, "bi_marks", "bi_marks_db");

        CliRun.Result first = cli().args(endpoints(source, targetA)).args(small("bi_marks")).run();
        assertThat(first.exitCode()).as(first.toString()).isZero();

        CliRun.Result second = cli().args(endpoints(source, targetB)).args(small("bi_marks")).run();
        assertThat(oneErrorLine(second, 5)).contains("state folder").contains("belongs to")
                .contains("target was 127.0.0.1:" + targetA.port())
                .contains("not 127.0.0.1:" + targetB.port()).contains("--state-dir");
        assertNothingOnTarget(targetB, "bi_marks");
    }

    // ------------------------------------------------------------------ 7: the command line itself

    @Test
    void badPatternsUnknownOptionsAndZeroKnobsAreUsageErrors() throws Exception {
        EmbeddedServer source = TestServers.get(SOURCE_VERSION);
        EmbeddedServer target = TestServers.get(TARGET_VERSION);
        List<String> servers = endpoints(source, target);

        CliRun.Result empty = cli().args(servers).args(dirs("empty")).args("--include-db", "").run();
        assertThat(oneErrorLine(empty, 2)).contains("--include-db").contains("empty");
        assertThat(work.resolve("empty")).as("a usage error creates no state folder").doesNotExist();

        CliRun.Result missing = cli().args(servers).args(dirs("missing")).args("--include-db", "bi_nosuchdb").run();
        assertThat(oneErrorLine(missing, 2)).contains("--include-db bi_nosuchdb").contains("no such database");

        CliRun.Result unknown = cli().args(servers).args("--dump-jobz", "3").run();
        assertThat(oneErrorLine(unknown, 2)).contains("--dump-jobz").contains("--help");

        CliRun.Result zero = cli().args(servers).args(dirs("zero")).args("--dump-jobs", "0").run();
        assertThat(oneErrorLine(zero, 2)).contains("--dump-jobs must be at least 1 (got 0)");

        CliRun.Result zeroParallel = cli().args(servers).args(dirs("zero")).args("-p", "0").run();
        assertThat(oneErrorLine(zeroParallel, 2)).contains("-p/--max-parallel must be at least 1 (got 0)");

        CliRun.Result fromEnv = cli().env("PGMIGRATE_RESTORE_JOBS", "many").args(servers).args(dirs("zero")).run();
        assertThat(oneErrorLine(fromEnv, 2)).contains("--restore-jobs").contains("'many'")
                .contains("(from PGMIGRATE_RESTORE_JOBS)");
        // pgjdbc would refuse it with a multi-line warning of its own, and the run end as a connection error
        List<String> badPort = new ArrayList<>(servers);
        badPort.set(badPort.indexOf("--from-port") + 1, "70000");
        assertThat(oneErrorLine(cli().args(badPort).args(dirs("zero")).run(), 2))
                .contains("--from-port must be from 1 to 65535 (got 70000)");
        assertThat(work.resolve("zero")).as("a usage error creates no state folder").doesNotExist();
        assertNothingOnTarget(target, "bi_nosuchdb");
    }

    /**
     * A run stopped by a check has not claimed its state folder: the same command aimed at the right target (here:
     * another server) runs its checks again instead of being refused as "another run's folder" (exit 5).
     */
    @Test
    void aRunStoppedByACheckLeavesItsStateFolderUnclaimed() throws Exception {
        EmbeddedServer source = TestServers.get(SOURCE_VERSION);
        smallDatabase(source, "bi_claim", "bi_claim_db");
        for (EmbeddedServer target : List.of(TestServers.get(TARGET_VERSION), TestServers.get(TestServers.TARGET_18))) {
            CliRun.Result stopped = cli().args(endpoints(source, target)).args(dirs("claim"))
                    .args("--include-db", "bi_claim_nomatch*").run();
            assertThat(oneErrorLine(stopped, 2)).as("against %s", target.port())
                    .contains("no source database matches --include-db 'bi_claim_nomatch*'");
        }
        assertThat(work.resolve("claim").resolve("state").resolve("pg_migrate_state").resolve("run.json"))
                .doesNotExist();
    }

    /** verify's --json is checked before the comparison, not after it (and never ends in a stack trace). */
    @Test
    void verifyRefusesAJsonPathItCannotWriteBeforeComparing() throws Exception {
        EmbeddedServer source = TestServers.get(SOURCE_VERSION);
        EmbeddedServer target = TestServers.get(TARGET_VERSION);
        smallDatabase(source, "bi_vjson", "bi_vjson_db");
        assertThat(oneErrorLine(cli().args("verify").args(endpoints(source, target))
                .args("--include-db", "bi_vjson_db", "--json", "/").run(), 2)).contains("--json /: a file");
        Path file = Files.writeString(work.resolve("vjson-file"), "a file, not a folder");
        assertThat(oneErrorLine(cli().args("verify").args(endpoints(source, target))
                .args("--include-db", "bi_vjson_db", "--json", file.resolve("report.json").toString()).run(), 3))
                .contains("cannot create its folder");
    }

    @Test
    void includePatternsThatMatchNothingStopMigrateAndVerifyBeforeAnyChange() throws Exception {
        EmbeddedServer source = TestServers.get(SOURCE_VERSION);
        EmbeddedServer target = TestServers.get(TARGET_VERSION);
        smallDatabase(source, "bi_typo", "bi_typo_db");
        List<String> rolesBefore = column(target, "SELECT rolname FROM pg_roles ORDER BY 1");

        CliRun.Result typo = cli().args(endpoints(source, target)).args(dirs("typo"))
                .args("--include-db", "bi_tpyo*").run();
        assertThat(oneErrorLine(typo, 2)).contains("no source database matches --include-db 'bi_tpyo*'")
                .containsPattern("the source has(: | \\d+ databases, nearest to the patterns: )")
                .contains("bi_typo_db"); // the shared source may have many: the nearest to the pattern are named

        CliRun.Result excluded = cli().args(endpoints(source, target)).args(dirs("excluded"))
                .args("--include-db", "bi_typo*", "--exclude-db", "bi_typo_*").run();
        assertThat(oneErrorLine(excluded, 2)).contains("--include-db 'bi_typo*'")
                .contains("after --exclude-db 'bi_typo_*'").contains("bi_typo_db");

        CliRun.Result verify = cli().args("verify").args(endpoints(source, target)).args("--include-db", "bi_tpyo*")
                .run();
        assertThat(oneErrorLine(verify, 2)).contains("no source database matches --include-db 'bi_tpyo*'")
                .contains("bi_typo_db");

        // no global object replayed either: the target's roles are as they were
        assertThat(column(target, "SELECT rolname FROM pg_roles ORDER BY 1")).isEqualTo(rolesBefore);
        assertNothingOnTarget(target, "bi_typo");
    }

    // ------------------------------------------------------------------ 8, 9: secrets and where they come from

    @Test
    void passwordsFromTheEnvironmentNeverReachArgvFilesOrOutput() throws Exception {
        EmbeddedServer source = TestServers.get(SOURCE_VERSION);
        EmbeddedServer target = TestServers.get(TARGET_VERSION);
        smallDatabase(source, "bi_secret", "bi_secret_db");
        String sourcePw = source.password();
        String targetPw = target.password();

        // dump mode: stream mode sizes the tables (pg_relation_size) before its pg_dump starts, so the lock below
        // would hold the tool itself, not pg_dump; stream mode's output and files are checked after this run
        // a PGOPTIONS of the user's own reaches pg_dump too, ahead of the tool's settings
        CliRun run = cli().env("PGMIGRATE_FROM_PASS", sourcePw).env("PGMIGRATE_TO_PASS", targetPw)
                .env("PGOPTIONS", "-c work_mem=5MB")
                .args(withoutPasswords(source, target)).args(small("bi_secret")).args("--mode", "dump");
        CliRun.Result result;
        // hold a lock pg_dump waits for, so its process can be looked at while it runs
        try (Connection lock = source.connect("bi_secret_db")) {
            lock.setAutoCommit(false);
            try (Statement st = lock.createStatement()) {
                st.execute("LOCK TABLE t IN ACCESS EXCLUSIVE MODE");
            }
            try (Launcher running = run.start()) {
                assertThat(cmdline(running.pid())).doesNotContain(sourcePw).doesNotContain(targetPw);
                ProcessHandle pgDump = awaitChild(running, "pg_dump", "bi_secret_db");
                String argv = cmdline(pgDump.pid());
                assertThat(argv).contains("bi_secret_db").doesNotContain(sourcePw).doesNotContain(targetPw);
                assertThat(environ(pgDump.pid())).contains("PGPASSWORD=" + sourcePw)
                        .contains("PGOPTIONS=-c work_mem=5MB -c lc_monetary=C");
                lock.rollback();
                result = CliRun.Result.of(running, Duration.ofMinutes(2));
            }
        }
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout() + result.stderr()).doesNotContain(sourcePw).doesNotContain(targetPw);

        // the default, stream mode (JDBC copies, the schema's pg_dump and pg_restore), with folders of its own
        smallDatabase(source, "bi_streamsecret", "bi_streamsecret_db");
        CliRun.Result streamed = cli().env("PGMIGRATE_FROM_PASS", sourcePw).env("PGMIGRATE_TO_PASS", targetPw)
                .args(withoutPasswords(source, target)).args(small("bi_streamsecret", "stream")).run();
        assertThat(streamed.exitCode()).as(streamed.toString()).isZero();
        assertThat(streamed.stdout() + streamed.stderr()).doesNotContain(sourcePw).doesNotContain(targetPw);
        assertThat(rowCount(target, "bi_streamsecret_db")).isEqualTo(100);

        List<Path> files = filesUnder(work.resolve("state"), work.resolve("dumps"), work.resolve("stream"));
        assertThat(files).as("state folders, logs and dumps")
                .anyMatch(f -> f.getFileName().toString().endsWith(".log"))
                .anyMatch(f -> f.getFileName().toString().equals("bi_streamsecret_db.schema"))
                .anyMatch(f -> f.getFileName().toString().equals("run.json"));
        for (Path file : files) {
            String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            assertThat(content).as(file.toString()).doesNotContain(sourcePw).doesNotContain(targetPw);
        }
        assertThat(rowCount(target, "bi_secret_db")).isEqualTo(100);
    }

    @Test
    void passwordsFromAPasswordFileAndOptionsFromTheEnvironment() throws Exception {
        EmbeddedServer source = TestServers.get(SOURCE_VERSION);
        EmbeddedServer target = TestServers.get(TARGET_VERSION);
        smallDatabase(source, "bi_pgpass", "bi_pgpass_db");
        Path passFile = work.resolve("pgpass");
        Files.writeString(passFile, source.host() + ":" + source.port() + ":*:" + source.superuser() + ":"
                + source.password() + "\n" + target.host() + ":" + target.port() + ":*:" + target.superuser() + ":"
                + target.password() + "\n");
        Files.setPosixFilePermissions(passFile, PosixFilePermissions.fromString("rw-------"));

        CliRun.Result r = cli().env("PGPASSFILE", passFile.toString())
                .env("PGMIGRATE_FROM_HOST", source.host()).env("PGMIGRATE_FROM_PORT", Integer.toString(source.port()))
                .env("PGMIGRATE_TO_HOST", target.host()).env("PGMIGRATE_TO_PORT", Integer.toString(target.port()))
                .env("PGMIGRATE_DUMP_JOBS", "1").env("PGMIGRATE_RESTORE_JOBS", "1")
                .env("PGMIGRATE_MAX_PARALLEL", "1").env("PGMIGRATE_VERIFY_CONCURRENCY", "2")
                .env("PGMIGRATE_INCLUDE_DB", "bi_pgpass*")
                .env("PGMIGRATE_STATE_DIR", work.resolve("state").toString())
                .env("PGMIGRATE_DUMP_ROOT", work.resolve("dumps").toString())
                .env("PGMIGRATE_MODE", "dump")
                .run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        // dump mode, from PGMIGRATE_MODE, with the jobs from the environment
        assertThat(r.stderr()).contains("dumping with pg_dump -j 1").contains("then the rest with -j 1")
                .doesNotContain("connection budget");
        assertThat(work.resolve("state").resolve("pg_migrate_state").resolve("bi_pgpass_db.done")).exists();
        assertThat(rowCount(target, "bi_pgpass_db")).isEqualTo(100);
    }

    // ------------------------------------------------------------------ 10: help and version

    @Test
    void helpListsEveryReferenceOptionAndTheExitCodesVersionNamesPgDump() {
        CliRun.Result help = cli().args("--help").run();
        assertThat(help.exitCode()).as(help.toString()).isZero();
        for (String option : List.of("--from-host", "--from-port", "--from-user", "--from-pass", "--from-db",
                "--to-host", "--to-port", "--to-user", "--to-pass", "--to-db", "--dump-jobs", "--restore-jobs",
                "-p, --max-parallel", "--dump-parallel", "--restore-parallel", "--verify-concurrency", "--dump-root",
                "--migrate-globals", "--disable-dst-optimizations", "--fast-verify", "--delay-table-data",
                "--mode", "--table-jobs")) {
            assertThat(help.stdout()).as("--help names %s", option).contains(option);
        }
        assertThat(help.stdout()).contains("Exit codes:").containsPattern("(?s)--mode=stream\\|dump.*?\\(default:\\s+stream\\)");
        for (String code : List.of("0", "1", "2", "3", "4", "5", "6", "7", "130", "143")) {
            assertThat(help.stdout()).as("exit code %s", code).containsPattern("(?m)^\\s+" + code + "\\s+\\S");
        }

        ClientTools tools = new ToolLocator(new ProcessRunner(new ChildProcesses(null))).locate(null);
        CliRun.Result version = cli().args("--version").run();
        assertThat(version.exitCode()).as(version.toString()).isZero();
        assertThat(version.stdout()).contains("pg-migrate").contains(tools.pgDump().toString());
    }

    // ------------------------------------------------------------------ helpers

    private CliRun cli() {
        return new CliRun(work).inThisJvm();
    }

    /** The one "pg-migrate: ..." line of a failed run, after checking the exit code and that no stack trace came. */
    private static String oneErrorLine(CliRun.Result r, int exitCode) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(exitCode);
        assertThat(r.errorLines()).as(r.toString()).hasSize(1);
        assertThat(r.stderr()).as("no stack trace without --debug").doesNotContainPattern("(?m)^\\s+at ")
                .doesNotContain("Exception").doesNotContain("Caused by");
        assertThat(r.stderr()).as("the error is reported once").doesNotContainPattern("(?m)^\\S+ ERROR ");
        return r.errorLines().get(0);
    }

    /**
     * The small migration of the {@code prefix} databases in each mode, each refused before any change: exit 3 with
     * one line (returned by mode), nothing of them on the target, and the target's settings as they were.
     */
    private Map<String, String> refusedInBothModes(EmbeddedServer source, EmbeddedServer target, String prefix,
                                                   String... more) throws Exception {
        List<String> autoConfBefore = autoConfEntries(target);
        Map<String, String> lines = new LinkedHashMap<>();
        for (String mode : List.of("dump", "stream")) {
            CliRun.Result r = cli().args(endpoints(source, target)).args(small(prefix, mode)).args("--mode", mode)
                    .args(more).run();
            lines.put(mode, oneErrorLine(r, 3));
            assertNothingOnTarget(target, prefix);
        }
        assertThat(autoConfEntries(target)).isEqualTo(autoConfBefore);
        return lines;
    }

    private static List<String> endpoints(EmbeddedServer source, EmbeddedServer target) {
        List<String> args = new ArrayList<>(withoutPasswords(source, target));
        args.addAll(List.of("--from-pass", source.password(), "--to-pass", target.password()));
        return args;
    }

    private static int indexOf(List<String> lines, String part) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(part)) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> withoutPasswords(EmbeddedServer source, EmbeddedServer target) {
        return List.of("--from-host", source.host(), "--from-port", Integer.toString(source.port()),
                "--from-user", source.superuser(),
                "--to-host", target.host(), "--to-port", Integer.toString(target.port()),
                "--to-user", target.superuser());
    }

    /** State and dumps under the test's folder, small knobs, and only the databases named prefix*. */
    private List<String> small(String prefix) {
        return small(prefix, "");
    }

    /** As {@link #small(String)}, with the state and the dumps under the test's folder's sub. */
    private List<String> small(String prefix, String sub) {
        List<String> args = new ArrayList<>(dirs(sub));
        args.addAll(List.of("--include-db", prefix + "*",
                "--dump-jobs", "2", "--restore-jobs", "2", "-p", "2", "--verify-concurrency", "4"));
        return args;
    }

    private List<String> dirs(String sub) {
        Path base = sub.isEmpty() ? work : work.resolve(sub);
        return List.of("--state-dir", base.resolve("state").toString(), "--dump-root", base.resolve("dumps").toString());
    }

    /** A role prefix_owner owning each database, each with a table t of 100 rows. */
    private static void smallDatabase(EmbeddedServer server, String prefix, String... databases) throws SQLException {
        String owner = prefix + "_owner";
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + q(owner) + " LOGIN PASSWORD 'bi-role-pw'");
            for (String db : databases) {
                st.execute("CREATE DATABASE " + q(db) + " OWNER " + q(owner));
            }
        }
        for (String db : databases) {
            try (Connection c = server.connect(db); Statement st = c.createStatement()) {
                st.execute("SET ROLE " + q(owner));
                st.execute("CREATE TABLE t (id int PRIMARY KEY, v text)");
                st.execute("INSERT INTO t SELECT g, 'row ' || g FROM generate_series(1, 100) g");
            }
        }
    }

    /**
     * Migrates prefix_db (of {@link #smallDatabase}) in dump mode, then in stream mode: each run must exit 0 with the
     * verification equal and the 100 rows on the target, where the database is dropped after it (and the owner after
     * both). The runs by mode.
     */
    private Map<String, CliRun.Result> migrateInBothModes(EmbeddedServer source, EmbeddedServer target, String prefix)
            throws SQLException {
        Map<String, CliRun.Result> runs = new LinkedHashMap<>();
        for (String mode : List.of("dump", "stream")) {
            CliRun.Result r = cli().args(endpoints(source, target)).args(small(prefix, mode)).args("--mode", mode).run();
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.stdout()).contains("equal the source");
            assertThat(rowCount(target, prefix + "_db")).isEqualTo(100);
            execute(target, "postgres", "DROP DATABASE " + q(prefix + "_db"));
            runs.put(mode, r);
        }
        execute(target, "postgres", "DROP ROLE " + q(prefix + "_owner"));
        return runs;
    }

    /**
     * Restarts the server as a hot standby with no primary to follow: it stays in recovery, read-only
     * (standby.signal from 12 on, recovery.conf with standby_mode before).
     */
    private static void makeStandby(EmbeddedServer server) throws Exception {
        if (server.serverVersionNum() >= 120000) {
            Files.createFile(server.dataDir().resolve("standby.signal"));
        } else {
            Files.writeString(server.dataDir().resolve("recovery.conf"), "standby_mode = 'on'\n");
        }
        server.restart();
        assertThat(column(server, "SELECT pg_is_in_recovery()::text")).containsExactly("true");
    }

    private static void execute(EmbeddedServer server, String db, String... statements) throws SQLException {
        try (Connection c = server.connect(db); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    private static long rowCount(EmbeddedServer server, String db) throws SQLException {
        try (Connection c = server.connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM t")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> column(EmbeddedServer server, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static List<String> autoConfEntries(EmbeddedServer server) throws SQLException {
        return column(server, "SELECT name || '=' || setting FROM pg_file_settings "
                + "WHERE sourcefile LIKE '%postgresql.auto.conf' ORDER BY 1");
    }

    /** No database and no role named prefix* on the server. */
    private static void assertNothingOnTarget(EmbeddedServer target, String prefix) throws SQLException {
        assertThat(column(target, "SELECT datname FROM pg_database WHERE starts_with(datname, '" + prefix + "')"))
                .isEmpty();
        assertThat(column(target, "SELECT rolname FROM pg_roles WHERE starts_with(rolname, '" + prefix + "')"))
                .isEmpty();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    /** Waits for a descendant of the run named tool whose argv mentions what. */
    private static ProcessHandle awaitChild(Launcher running, String tool, String what) {
        List<ProcessHandle> found = new ArrayList<>();
        running.waitUntil(Duration.ofSeconds(60), tool + " for " + what + " runs", () -> {
            running.descendants(tool).stream().filter(p -> cmdline(p.pid()).contains(what)).findFirst()
                    .ifPresent(found::add);
            return !found.isEmpty();
        });
        return found.get(0);
    }

    private static String cmdline(long pid) {
        return proc(pid, "cmdline");
    }

    private static String environ(long pid) {
        return proc(pid, "environ");
    }

    /** /proc/pid/name with its NUL separators as newlines ("" if the process is gone). */
    private static String proc(long pid, String name) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), name)), StandardCharsets.UTF_8)
                    .replace('\0', '\n');
        } catch (IOException e) {
            return "";
        }
    }

    private static List<Path> filesUnder(Path... roots) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path root : roots) {
            if (Files.exists(root)) {
                try (Stream<Path> walk = Files.walk(root)) {
                    walk.filter(Files::isRegularFile).forEach(out::add);
                }
            }
        }
        return out;
    }
}
