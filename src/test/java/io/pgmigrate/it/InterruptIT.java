package io.pgmigrate.it;

import static io.pgmigrate.it.DelayedTablesIT.exec;
import static io.pgmigrate.it.FullMigrationIT.one;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgmigrate.embedded.EmbeddedServer;
import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.testbed.Launcher;
import io.pgmigrate.testbed.TestServers;
import io.pgmigrate.testbed.WrappedPgBin;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ctrl-C and SIGTERM sent to the packaged tool (the launcher script, which execs java) while pg_dump is busy.
 * pg_dump is made busy deterministically by a lock that a test session holds on the source:
 * <ul>
 * <li>on {@code pg_largeobject}: pg_dump gets through its catalog phase and forks its -j workers; the worker that
 * dumps the large objects then waits for the lock, so the leader and both workers are running;</li>
 * <li>on a user table: pg_dump locks every table it dumps before it reads anything, so the leader waits there.</li>
 * </ul>
 * These runs are in dump mode, where pg_dump -j moves the data: in stream mode (the default) a table lock holds the
 * tool's own sizing of the tables before its pg_dump starts, and large objects are not pg_dump's. Stream mode
 * stopped during its copy is in StreamModeIT; Ctrl-C during the checks, before any mode matters, runs the default.
 * After the signal: the exit code, no pg_dump process and no pg_dump session left, the target's settings reverted,
 * the summary printed. Stream mode's own index builds, stopped by Ctrl-C, are cancelled on the target, as is the
 * globals replay's statement waiting for a lock there.
 */
class InterruptIT {
    /** Cancelling stops pg_dump (SIGTERM, it exits at once), reverts the target settings, prints the summary. */
    private static final Duration PROMPT = Duration.ofSeconds(8);
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final EmbeddedServer source = TestServers.get(TestServers.SOURCE_12);
    private final EmbeddedServer target = TestServers.get(TestServers.TARGET_17);

    @TempDir
    Path home;

    @Test
    void ctrlCStopsPgDumpWithItsWorkersRevertsTheTargetAndExits130() throws Exception {
        String db = "intr_c_lob";
        createSource(db, true);
        try (Connection lock = lockOnSource(db, "pg_catalog.pg_largeobject");
             Launcher run = Launcher.migrate(home, source, target, dumpMode(args("intr_c")))) {
            run.waitUntil(STARTUP, "pg_dump runs with its 2 workers, one waiting for the lock",
                    () -> run.descendants("pg_dump").size() == 3 && pgDumpWaitsForLock(db));
            List<ProcessHandle> pgDump = run.descendants("pg_dump");

            long signalled = System.nanoTime();
            run.signal("INT");
            int code = run.waitFor(Duration.ofSeconds(60));

            assertThat(code).as(run.outputTail()).isEqualTo(130);
            assertThat(since(signalled)).as("time from SIGINT to exit").isLessThan(PROMPT);
            assertStoppedAndReverted(run, pgDump, db, backendPid(lock));
            assertThat(run.summaryRow(db)).as(run.outputTail()).containsEntry("status", "interrupted");
            assertThat(run.stdout()).contains("0 of 1 databases migrated and verified.")
                    .doesNotContain("Regular phase");
            assertThat(new ObjectMapper().readTree(run.migrateState().resolve("summary.json").toFile())
                    .get("exitCode").asInt()).isEqualTo(130);
        }
    }

    @Test
    void sigtermWhilePgDumpWaitsForATableLockExits143() throws Exception {
        String db = "intr_t_db";
        createSource(db, false);
        try (Connection lock = lockOnSource(db, "public.items");
             Launcher run = Launcher.migrate(home, source, target, dumpMode(args("intr_t")))) {
            run.waitUntil(STARTUP, "pg_dump waits for the lock on items",
                    () -> !run.descendants("pg_dump").isEmpty() && pgDumpWaitsForLock(db));
            List<ProcessHandle> pgDump = run.descendants("pg_dump");

            long signalled = System.nanoTime();
            run.signal("TERM");
            int code = run.waitFor(Duration.ofSeconds(60));

            assertThat(code).as(run.outputTail()).isEqualTo(143);
            assertThat(since(signalled)).as("time from SIGTERM to exit").isLessThan(PROMPT);
            assertStoppedAndReverted(run, pgDump, db, backendPid(lock));
            assertThat(run.summaryRow(db)).as(run.outputTail()).containsEntry("status", "interrupted");
        }
    }

    /**
     * The first Ctrl-C sends SIGTERM to the child tree and gives it 5 s before SIGKILL. To keep that first cancel
     * in progress, pg_dump runs through a wrapper (--pg-bin) that, once sent SIGTERM, lingers and ignores it, as a
     * tool stuck in I/O would; the test sees it lingering (a {@code sleep} child) and only then sends the second
     * Ctrl-C, which must end the run at once: well before the 5 s grace would have, with the wrapper killed.
     * The halt skips the revert, so the target settings stay until the next run, which reverts them first.
     */
    @Test
    void aSecondCtrlCStopsAtOnceWhileTheFirstIsStillWaitingForAChild() throws Exception {
        String db = "intr_2_db";
        createSource(db, false);
        List<String> args = dumpMode(args("intr_2"));
        args.addAll(List.of("--pg-bin", lingeringPgBin().toString()));
        try (Connection lock = lockOnSource(db, "public.items");
             Launcher run = Launcher.migrate(home, source, target, args)) {
            run.waitUntil(STARTUP, "pg_dump waits for the lock on items",
                    () -> !run.descendants("pg_dump").isEmpty() && pgDumpWaitsForLock(db));

            long first = System.nanoTime();
            run.signal("INT");
            run.waitUntil(Duration.ofSeconds(4), "the pg_dump wrapper lingers after SIGTERM",
                    () -> !run.descendants("sleep").isEmpty());
            List<ProcessHandle> lingering = run.descendants();
            assertThat(lingering).as("the wrapper and its sleep, still running: the first cancel is in progress")
                    .hasSize(2).allMatch(Launcher::isRunning);

            long second = System.nanoTime();
            run.signal("INT");
            int code = run.waitFor(Duration.ofSeconds(30));

            assertThat(code).as(run.outputTail()).isEqualTo(130);
            assertThat(since(second)).as("time from the second SIGINT to exit").isLessThan(Duration.ofSeconds(2));
            assertThat(since(first)).as("time from the first SIGINT to exit, under the 5 s grace of the first cancel")
                    .isLessThan(Duration.ofMillis(4500));
            assertThat(run.stderr()).contains("second signal: stopping now");
            assertThat(lingering).as("killed by the second signal").noneMatch(Launcher::isRunning);
            assertThat(run.processesMentioningHome()).isEmpty();
            // halted without reverting: the settings stay applied, and recorded for the next run
            assertThat(one(target, "postgres", "SHOW synchronous_commit")).isEqualTo("off");
            assertThat(one(target, "postgres", "SHOW fsync")).as("never turned off").isEqualTo("on");
            assertThat(one(target, "postgres", "SHOW full_page_writes")).as("never turned off").isEqualTo("on");
            assertThat(run.migrateState().resolve("target_settings.json")).exists();
        }
        try (Launcher again = Launcher.migrate(home, source, target, args)) {
            assertThat(again.waitFor(Duration.ofSeconds(90))).as(again.outputTail()).isZero();
            assertThat(again.stderr()).contains("an earlier run left the target's fast-load settings applied");
            assertSettingsReverted(again);
            assertThat(again.summaryRow(db)).containsEntry("status", "done");
            assertThat(FullMigrationIT.counts(target, db)).isEqualTo(FullMigrationIT.counts(source, db));
        }
    }

    /**
     * Ctrl-C while the tool is still checking, before it changes anything: here the target accepts the connection
     * but never answers (a hung server), so the tool waits for its login timeout (30 s). It must stop at once with
     * 130 and change nothing.
     */
    @Test
    void ctrlCDuringTheChecksStopsAtOnceAndChangesNothing() throws Exception {
        try (ServerSocket hung = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
             Silent silent = new Silent(hung);
             Launcher run = Launcher.start(home, Map.of("PGMIGRATE_FROM_PASS", source.password(),
                     "PGMIGRATE_TO_PASS", "unused"), withKnobs("intr_k", List.of(
                     "--from-host", source.host(), "--from-port", Integer.toString(source.port()),
                     "--from-user", source.superuser(),
                     "--to-host", "127.0.0.1", "--to-port", Integer.toString(hung.getLocalPort()))))) {
            run.waitUntil(STARTUP, "the tool connects to the target", () -> silent.accepted() > 0);

            long signalled = System.nanoTime();
            run.signal("INT");
            int code = run.waitFor(Duration.ofSeconds(60));

            assertThat(code).as(run.outputTail()).isEqualTo(130);
            assertThat(since(signalled)).as("time from SIGINT to exit").isLessThan(PROMPT);
            assertThat(run.stderr()).contains("interrupted during the checks, before the migration changed anything")
                    .doesNotContain("fast-load settings applied");
            assertThat(run.migrateState().resolve("target_settings.json")).doesNotExist();
            assertThat(run.migrateState().resolve("children.json")).doesNotExist();
        }
    }

    /**
     * Ctrl-C while stream mode builds an index on the target, as a table's data lands or (a delayed table) in the
     * delayed phase: the build is cancelled on the server, not left running to its commit after the tool has gone
     * (the server notices a closed connection only once the build is done). The index calls a function that sleeps
     * 1 ms a row on the target: 20 s in all.
     */
    @ParameterizedTest(name = "delayed: {0}")
    @ValueSource(booleans = {false, true})
    void ctrlCDuringAStreamIndexBuildCancelsTheBuildOnTheTarget(boolean delayed) throws Exception {
        String db = delayed ? "intr_ix_d" : "intr_ix_a";
        createSource(db, false);
        try (Connection c = source.connect(db); Statement st = c.createStatement()) {
            // slow on the target (17) only, so that the source (12) builds it at once
            st.execute("CREATE FUNCTION slow(i int) RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN "
                    + "IF current_setting('server_version_num')::int >= 170000 THEN PERFORM pg_sleep(0.001); END IF; "
                    + "RETURN i; END $$");
            st.execute("INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1001, 20000) g");
            st.execute("CREATE INDEX items_slow ON items (slow(id))");
        }
        List<String> args = args(db);
        if (delayed) {
            args.addAll(List.of("--delay-table-data", db + ".items"));
        }
        // the slow build: not pg_restore's of the empty delayed table, which is over in a moment
        String building = "SELECT count(*)::text FROM pg_stat_activity WHERE datname = '" + db + "' AND state = "
                + "'active' AND query LIKE 'CREATE INDEX%items_slow%'";
        try (Launcher run = Launcher.migrate(home, source, target, args)) {
            run.waitUntil(STARTUP, "the slow index is being built on the target",
                    () -> "1".equals(one(target, "postgres", building + " AND now() - query_start > '300 ms'")));

            run.signal("INT");
            assertThat(run.waitFor(Duration.ofSeconds(60))).as(run.outputTail()).isEqualTo(130);

            run.waitUntil(Duration.ofSeconds(3), "the build has stopped on the target",
                    () -> "0".equals(one(target, "postgres", building)));
            assertThat(one(target, db, "SELECT count(*)::text FROM pg_class WHERE relname = 'items_slow'"))
                    .as("the cancelled build left no index").isEqualTo("0");
            assertSettingsReverted(run);
        }
    }

    /**
     * Ctrl-C during the final verification (a checksum of every row, which can take hours): the run stops waiting for
     * it, reverts the target settings and exits 130 at once, with no verdict. It used to wait for the whole
     * verification first. A test session's lock on a source table holds the verification's checksum of it.
     */
    @Test
    void ctrlCDuringTheFinalVerificationStopsTheRun() throws Exception {
        String db = "intr_verify";
        createSource(db, false);
        List<String> args = args(db);
        args.addAll(List.of("--verify", "checksum"));
        try (Launcher run = Launcher.migrate(home, source, target, args)) {
            run.waitUntil(STARTUP, "the database is restored", () -> java.nio.file.Files.exists(
                    run.migrateState().resolve(db + ".done")));
            try (Connection lock = lockOnSource(db, "items")) {
                run.waitUntil(STARTUP, "the verification waits for the lock on items",
                        () -> pgDumpWaitsForLock(db));
                long start = System.nanoTime();
                run.signal("INT");
                assertThat(run.waitFor(Duration.ofSeconds(30))).as(run.outputTail()).isEqualTo(130);
                assertThat(since(start)).isLessThan(Duration.ofSeconds(20));
            }
            assertThat(run.stdout()).doesNotContain("equal the source");
            assertSettingsReverted(run);
        }
    }

    /**
     * SIGKILL while stream mode builds an index on the target: the build goes on there, its client gone, until it
     * commits. The next run ends it before it starts on the database, instead of building the same index at the same
     * time and failing on the name the first one commits ("duplicate key value violates unique constraint
     * pg_class_relname_nsp_index"). The index calls a function that waits on the target for an advisory lock the
     * test holds, so the killed run's build is still waiting when the next run gets to the index.
     */
    @Test
    void theNextRunEndsTheIndexBuildASigkilledRunLeftOnTheTarget() throws Exception {
        String db = "intr_orphan_ix";
        createSource(db, false);
        exec(source, db, "CREATE FUNCTION held(i int) RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN "
                + "IF current_setting('server_version_num')::int >= 170000 THEN "
                + "PERFORM pg_advisory_lock_shared(4242); PERFORM pg_advisory_unlock_shared(4242); END IF; "
                + "RETURN i; END $$", "CREATE INDEX items_held ON items (held(id))");
        String waiting = "SELECT string_agg(pid::text, ',') FROM pg_stat_activity WHERE datname = '" + db
                + "' AND application_name = 'pg-migrate' AND wait_event = 'advisory' "
                + "AND query LIKE 'CREATE INDEX%items_held%'";
        List<String> args = args(db);
        Connection holder = null;
        try (Launcher first = Launcher.migrate(home, source, target, args)) {
            first.waitUntil(STARTUP, "the target database exists", () -> "1".equals(one(target, "postgres",
                    "SELECT count(*)::text FROM pg_database WHERE datname = '" + db + "'")));
            holder = target.connect(db); // advisory locks are per database
            try (Statement st = holder.createStatement()) {
                st.execute("SELECT pg_advisory_lock(4242)");
            }
            first.waitUntil(STARTUP, "the index build waits for the test's advisory lock",
                    () -> one(target, "postgres", waiting) != null);
            String orphan = one(target, "postgres", waiting);
            first.signal("KILL");
            assertThat(first.waitFor(Duration.ofSeconds(10))).isEqualTo(128 + 9);
            assertThat(one(target, "postgres", waiting)).as("the killed run's build, still waiting").isEqualTo(orphan);

            try (Launcher second = Launcher.migrate(home, source, target, args)) {
                second.waitUntil(STARTUP, "the next run ended the killed run's build and builds the index itself",
                        () -> {
                            String now = one(target, "postgres", waiting);
                            return now != null && !List.of(now.split(",")).contains(orphan);
                        });
                holder.close();
                assertThat(second.waitFor(Duration.ofSeconds(120))).as(second.outputTail()).isZero();
                assertThat(second.stderr()).contains("ended 1 session(s) an earlier run left on target database \""
                        + db + "\"");
            }
        } finally {
            if (holder != null) {
                holder.close();
            }
        }
        assertThat(one(target, db, "SELECT string_agg(indexrelid::regclass || ' ' || indisvalid, ', ' "
                + "ORDER BY indexrelid::regclass::text) FROM pg_index WHERE indrelid = 'items'::regclass"))
                .isEqualTo("items_held true, items_pkey true");
    }

    /**
     * Ctrl-C while the global objects are replayed on the target and the replay waits for a lock there: a test
     * session on the target alters the replayed role in a transaction it keeps open, so the replay's ALTER ROLE waits
     * for it. The waiting statement is cancelled on the target (not left to run once the lock goes, after the tool
     * has exited), no database is started, and the run ends as a Ctrl-C does, with 130 and the summary. Each replayed
     * statement commits on its own: once the lock is gone, a second run replays them all again and completes.
     */
    @Test
    void ctrlCWhileTheGlobalsReplayWaitsForALockCancelsItAndExits130() throws Exception {
        String db = "intr_g_db";
        String role = "intr_g_role";
        createSource(db, false);
        String waiting = "SELECT count(*)::text FROM pg_stat_activity WHERE application_name = 'pg-migrate' AND "
                + "wait_event_type = 'Lock' AND query LIKE 'ALTER ROLE%'";
        try {
            exec(source, "postgres", "CREATE ROLE " + role + " LOGIN CONNECTION LIMIT 3");
            exec(target, "postgres", "CREATE ROLE " + role);
            try (Connection hold = target.connect("postgres"); Statement st = hold.createStatement();
                 Launcher run = Launcher.migrate(home, source, target, args("intr_g"))) {
                hold.setAutoCommit(false);
                st.execute("ALTER ROLE " + role + " CONNECTION LIMIT 7");
                run.waitUntil(STARTUP, "the replay waits for the role on the target",
                        () -> "1".equals(one(target, "postgres", waiting)));

                long signalled = System.nanoTime();
                run.signal("INT");
                int code = run.waitFor(Duration.ofSeconds(60));

                assertThat(code).as(run.outputTail()).isEqualTo(130);
                assertThat(since(signalled)).as("time from SIGINT to exit").isLessThan(Duration.ofSeconds(5));
                assertThat(one(target, "postgres", waiting)).as("the replay's ALTER ROLE, cancelled").isEqualTo("0");
                assertThat(one(target, "postgres", "SELECT count(*)::text FROM pg_stat_activity WHERE "
                        + "application_name = 'pg-migrate'")).as("the run's sessions on the target").isEqualTo("0");
                assertThat(run.stderr()).doesNotContain("unexpected error");
                assertThat(run.summaryRow(db)).as(run.outputTail()).containsEntry("status", "interrupted");
                assertThat(run.stdout()).contains("global objects: replay stopped after",
                        "the next run replays them all again");
                assertSettingsReverted(run);
                hold.rollback();
            }
            try (Launcher again = Launcher.migrate(home, source, target, args("intr_g"))) {
                assertThat(again.waitFor(Duration.ofSeconds(90))).as(again.outputTail()).isZero();
                assertThat(again.summaryRow(db)).containsEntry("status", "done");
                assertThat(one(target, "postgres", "SELECT rolconnlimit::text FROM pg_roles WHERE rolname = '"
                        + role + "'")).isEqualTo("3");
            }
        } finally {
            exec(source, "postgres", "DROP ROLE IF EXISTS " + role);
            exec(target, "postgres", "DROP DATABASE IF EXISTS " + db, "DROP ROLE IF EXISTS " + role);
        }
    }

    /**
     * Ctrl-C while the database's properties are applied and one of them waits for a lock on the target: a test session
     * sets the database's search_path in a transaction it keeps open, so the run's own ALTER DATABASE ... SET waits for
     * it. The run used to wait as long as the lock was held; the statement is cancelled now and the run ends at once.
     * The run is held before the properties by an index on the target whose build waits for the test's advisory lock.
     */
    @Test
    void ctrlCWhileADatabasePropertyWaitsForALockStopsTheRun() throws Exception {
        String db = "intr_props";
        createSource(db, false);
        exec(source, db, "CREATE FUNCTION held(i int) RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN "
                + "IF current_setting('server_version_num')::int >= 170000 THEN "
                + "PERFORM pg_advisory_lock_shared(4343); PERFORM pg_advisory_unlock_shared(4343); END IF; "
                + "RETURN i; END $$", "CREATE INDEX items_held ON items (held(id))");
        exec(source, "postgres", "ALTER DATABASE " + db + " SET search_path = public");
        String waiting = "SELECT count(*)::text FROM pg_stat_activity WHERE application_name = 'pg-migrate' AND "
                + "wait_event_type = 'Lock' AND query LIKE 'ALTER DATABASE%'";
        try (Launcher run = Launcher.migrate(home, source, target, args(db))) {
            run.waitUntil(STARTUP, "the target database exists", () -> "1".equals(one(target, "postgres",
                    "SELECT count(*)::text FROM pg_database WHERE datname = '" + db + "'")));
            try (Connection advisory = target.connect(db); Statement st = advisory.createStatement()) {
                st.execute("SELECT pg_advisory_lock(4343)");
                try (Connection hold = target.connect("postgres"); Statement holding = hold.createStatement()) {
                    hold.setAutoCommit(false);
                    holding.execute("ALTER DATABASE " + db + " SET search_path = pg_catalog");
                    st.execute("SELECT pg_advisory_unlock(4343)");
                    run.waitUntil(STARTUP, "the run's ALTER DATABASE waits for the test's",
                            () -> "1".equals(one(target, "postgres", waiting)));

                    long signalled = System.nanoTime();
                    run.signal("INT");
                    assertThat(run.waitFor(Duration.ofSeconds(30))).as(run.outputTail()).isEqualTo(130);
                    assertThat(since(signalled)).as("time from SIGINT to exit").isLessThan(PROMPT);
                    assertThat(one(target, "postgres", "SELECT count(*)::text FROM pg_stat_activity WHERE "
                            + "application_name = 'pg-migrate'")).as("the run's sessions on the target").isEqualTo("0");
                    assertThat(run.summaryRow(db)).as(run.outputTail()).containsEntry("status", "interrupted");
                    assertSettingsReverted(run);
                    hold.rollback();
                }
            }
        }
        try (Launcher again = Launcher.migrate(home, source, target, args(db))) {
            assertThat(again.waitFor(Duration.ofSeconds(90))).as(again.outputTail()).isZero();
        }
    }

    /**
     * A run SIGKILLed while database x is unfinished, resumed with a selection that leaves x out: what the killed run
     * left running is its state folder's to stop, as revert-settings does. Its pg_dump (still waiting for a lock on the
     * source) and its session in x (an index build running on to its commit, say: played by a test session under the
     * tool's application name) are ended; another client's session in x and a session under the tool's name in a
     * database this state folder did not create are not. The temp files of a write cut short by the kill (planted
     * here under the names the tool writes) are deleted, with a DEBUG line in the run's log file.
     */
    @Test
    void aResumeLeavingOutAnUnfinishedDatabaseStopsWhatTheKilledRunLeftInIt() throws Exception {
        String x = "intr_o_x";
        String other = "intr_o_other";
        createSource(x, false);
        createSource("intr_o_y", false);
        exec(target, "postgres", "CREATE DATABASE " + other);
        List<ProcessHandle> orphans;
        try (Connection lock = lockOnSource(x, "public.items")) {
            try (Launcher run = Launcher.migrate(home, source, target, dumpMode(args("intr_o_")))) {
                run.waitUntil(STARTUP, "x created on the target, its pg_dump waiting for the lock",
                        () -> pgDumpWaitsForLock(x) && java.nio.file.Files.exists(run.migrateState()
                                .resolve(x + ".created")));
                // SIGKILL, not run.signal(), whose remembered children the Launcher would kill on close
                ProcessHandle.of(run.pid()).orElseThrow().destroyForcibly();
                assertThat(run.waitFor(Duration.ofSeconds(10))).isEqualTo(128 + 9);
                orphans = run.processesMentioningHome().stream().filter(h -> h.info().arguments()
                        .map(a -> String.join(" ", a).contains(x)).orElse(false)).toList();
            }
            assertThat(orphans).as("the killed run's pg_dump of x").isNotEmpty().allMatch(Launcher::isRunning);
            List<Thread> sleepers = new ArrayList<>();
            try (Connection leftover = sleeping(x, "pg-migrate", sleepers);
                 Connection client = sleeping(x, "dba console", sleepers);
                 Connection elsewhere = sleeping(other, "pg-migrate", sleepers)) {
                Path state = home.resolve("pg_migrate_state");
                List<Path> temps = List.of(state.resolve("." + x + ".done.tmp"),
                        state.resolve(".children.json4242.tmp"));
                for (Path temp : temps) {
                    java.nio.file.Files.writeString(temp, "{\"cut\":");
                }
                try (Launcher again = Launcher.migrate(home, source, target, dumpMode(args("intr_o_y")))) {
                    assertThat(again.waitFor(Duration.ofSeconds(90))).as(again.outputTail()).isZero();
                    assertThat(again.stdout()).contains("\"" + x + "\" is INCOMPLETE");
                }
                assertThat(orphans).as("stopped by the resumed run").noneMatch(Launcher::isRunning);
                assertThat(sessions(x, "pg-migrate")).as("the killed run's session in x").isZero();
                assertThat(sessions(x, "dba console")).as("another client's session in x").isOne();
                assertThat(sessions(other, "pg-migrate")).as("in a database this state folder did not create")
                        .isOne();
                assertThat(temps).allSatisfy(temp -> assertThat(temp).doesNotExist());
                try (var logs = java.nio.file.Files.list(state.resolve("logs"))) {
                    assertThat(logs.filter(f -> f.getFileName().toString().startsWith("pg-migrate-"))
                            .map(f -> readString(f)).collect(java.util.stream.Collectors.joining()))
                            .contains("DEBUG", "deleted " + temps.get(0) + ", left by a write");
                }
            } finally {
                exec(target, "postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname IN ("
                        + FullMigrationIT.lit(x) + ", " + FullMigrationIT.lit(other) + ")");
                for (Thread t : sleepers) {
                    t.join(10_000);
                }
            }
        } finally {
            exec(target, "postgres", "DROP DATABASE IF EXISTS " + other);
        }
    }

    /** A session in db under this application name, running a long pg_sleep on a thread of its own. */
    private Connection sleeping(String db, String applicationName, List<Thread> threads) throws SQLException {
        Connection c = target.connect(db);
        try (PreparedStatement ps = c.prepareStatement("SELECT set_config('application_name', ?, false)")) {
            ps.setString(1, applicationName);
            ps.execute();
        }
        Thread t = new Thread(() -> {
            try (Statement st = c.createStatement()) {
                st.execute("SELECT pg_sleep(60)");
            } catch (SQLException e) {
                // ended by the run, or by closing the connection
            }
        });
        t.start();
        threads.add(t);
        return c;
    }

    private int sessions(String db, String applicationName) throws SQLException {
        return Integer.parseInt(one(target, "postgres", "SELECT count(*)::text FROM pg_stat_activity WHERE datname = "
                + FullMigrationIT.lit(db) + " AND application_name = " + FullMigrationIT.lit(applicationName)));
    }

    private static String readString(Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Accepts connections and never answers them. */
    private static final class Silent implements AutoCloseable {
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        Silent(ServerSocket server) {
            acceptor = new Thread(() -> {
                try {
                    while (true) {
                        sockets.add(server.accept());
                    }
                } catch (IOException e) {
                    // closed
                }
            }, "silent-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int accepted() {
            return sockets.size();
        }

        @Override
        public void close() throws IOException {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    // ---------------------------------------------------------------- checks

    private void assertStoppedAndReverted(Launcher run, List<ProcessHandle> pgDump, String db, int lockHolder)
            throws Exception {
        assertThat(pgDump).as("pg_dump and its workers").isNotEmpty().noneMatch(Launcher::isRunning);
        assertThat(run.processesMentioningHome()).as("processes working in " + run.home()).isEmpty();
        assertThat(run.migrateState().resolve("children.json")).as("no child left listed").doesNotExist();
        // pg_dump cancelled its queries before exiting: no session of the run waits on, or holds, the source
        run.waitUntil(Duration.ofSeconds(5), "the run's sessions on the source have ended",
                () -> sessionsBesides(db, lockHolder) == 0);
        assertSettingsReverted(run);
        assertThat(run.stderr()).contains("stopping: terminating child processes");
    }

    private void assertSettingsReverted(Launcher run) throws SQLException {
        assertThat(one(target, "postgres", "SHOW fsync")).isEqualTo("on");
        assertThat(one(target, "postgres", "SHOW full_page_writes")).isEqualTo("on");
        assertThat(one(target, "postgres", "SHOW synchronous_commit")).isEqualTo("on");
        assertThat(one(target, "postgres", "SELECT count(*)::text FROM pg_file_settings "
                + "WHERE sourcefile LIKE '%postgresql.auto.conf'")).isEqualTo("0");
        assertThat(run.migrateState().resolve("target_settings.json")).doesNotExist();
    }

    // ---------------------------------------------------------------- source set-up

    /** The run in dump mode (pg_dump -Fd -j of the data), the mode these tests stop pg_dump in. */
    private static List<String> dumpMode(List<String> args) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--mode", "dump"));
        return all;
    }

    private static List<String> args(String prefix) {
        return withKnobs(prefix, List.of());
    }

    private static List<String> withKnobs(String prefix, List<String> first) {
        List<String> args = new ArrayList<>(first);
        args.addAll(Launcher.SMALL_KNOBS);
        args.addAll(List.of("--include-db", prefix + "*"));
        return args;
    }

    private void createSource(String db, boolean largeObject) throws SQLException {
        try (Connection c = source.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + Identifiers.quote(db));
        }
        try (Connection c = source.connect(db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL)");
            st.execute("INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 1000) g");
            if (largeObject) {
                st.execute("SELECT lo_from_bytea(0, convert_to('a large object', 'UTF8'))");
            }
        }
    }

    /** A session holding an ACCESS EXCLUSIVE lock on a relation of the source database until it is closed. */
    private Connection lockOnSource(String db, String relation) throws SQLException {
        Connection c = source.connect(db);
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("LOCK TABLE " + relation + " IN ACCESS EXCLUSIVE MODE");
        }
        return c;
    }

    private static int backendPid(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** A session of the run (pg_dump connects as application 'pg-migrate') waits for a lock in db. */
    private boolean pgDumpWaitsForLock(String db) throws SQLException {
        return count("SELECT count(*) FROM pg_stat_activity WHERE datname = ? AND application_name = 'pg-migrate' "
                + "AND wait_event_type = 'Lock' AND pid <> ?", db, 0) > 0;
    }

    private int sessionsBesides(String db, int pid) throws SQLException {
        return count("SELECT count(*) FROM pg_stat_activity WHERE datname = ? AND pid <> ?", db, pid);
    }

    /** A count from the source, for a query with two parameters: a database name and a backend pid. */
    private int count(String sql, String db, int pid) throws SQLException {
        try (Connection c = source.connect("postgres"); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, db);
            ps.setInt(2, pid);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /**
     * A --pg-bin folder with the real pg_restore, pg_dumpall and psql, and a pg_dump that runs the real one but,
     * once sent SIGTERM, lingers for 30 s ignoring further SIGTERMs.
     */
    private Path lingeringPgBin() throws Exception {
        return WrappedPgBin.create(home.resolve("lingering-bin"), "pg_dump", real -> List.of(
                "trap 'lingering=1' TERM",
                "'" + real + "' \"$@\"",
                "status=$?",
                "if [ -n \"${lingering:-}\" ]; then trap '' TERM; sleep 30; fi",
                "exit $status"));
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
