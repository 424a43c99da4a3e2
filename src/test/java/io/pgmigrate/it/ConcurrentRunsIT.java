package io.pgmigrate.it;

import static io.pgmigrate.it.DelayedTablesIT.exec;
import static io.pgmigrate.it.FullMigrationIT.one;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgmigrate.embedded.EmbeddedServer;
import io.pgmigrate.testbed.Launcher;
import io.pgmigrate.testbed.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two runs with two state folders against one target, both migrating the same databases: the checks of each pass
 * before the other has created anything. A database the other run creates is never taken for this run's own, and a
 * CREATE DATABASE this run loses to the other leaves no CREATED marker. Such a marker made a later run of this state
 * folder restore into the other run's database, and the run after that drop it and create it again. The other run is
 * played by a test session on the target, at two moments held by locks:
 * <ul>
 * <li>{@code race_late} is created while the run replays the global objects, which waits for a role the test
 * session is creating in a transaction it keeps open;</li>
 * <li>{@code race_same} is an existing database the test session renames to that name in a transaction it keeps open,
 * which the run's CREATE DATABASE waits for (the unique name), and fails on once it commits.</li>
 * </ul>
 */
class ConcurrentRunsIT {
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final String LATE = "race_late";
    private static final String SAME = "race_same";
    private static final String ROLE = "race_role";

    private final EmbeddedServer source = TestServers.get(TestServers.SOURCE_12);
    private final EmbeddedServer target = TestServers.get(TestServers.TARGET_17);

    @TempDir
    Path home;

    @Test
    void aDatabaseAnotherRunCreatesIsNeverTakenForThisRunsOwn() throws Exception {
        List<String> args = new ArrayList<>(Launcher.SMALL_KNOBS);
        args.addAll(List.of("--include-db", "race_*"));
        try {
            for (String db : List.of(LATE, SAME)) {
                exec(source, "postgres", "CREATE DATABASE " + db);
                exec(source, db, "CREATE TABLE items (id int PRIMARY KEY)", "INSERT INTO items VALUES (1), (2)");
            }
            exec(source, "postgres", "CREATE ROLE " + ROLE);
            exec(target, "postgres", "CREATE DATABASE race_other");
            exec(target, "race_other", "CREATE TABLE theirs (id int)");
            try (Connection role = target.connect("postgres"); Statement roleSt = role.createStatement();
                 Connection rename = target.connect("postgres"); Statement renameSt = rename.createStatement()) {
                role.setAutoCommit(false);
                roleSt.execute("CREATE ROLE " + ROLE);
                rename.setAutoCommit(false);
                renameSt.execute("ALTER DATABASE race_other RENAME TO " + SAME);
                try (Launcher run = Launcher.migrate(home, source, target, args)) {
                    run.waitUntil(STARTUP, "the globals replay waits for the test's role",
                            () -> waitingFor("CREATE ROLE"));
                    exec(target, "postgres", "CREATE DATABASE " + LATE);
                    exec(target, LATE, "CREATE TABLE theirs (id int)");
                    role.rollback();
                    run.waitUntil(STARTUP, "the run's CREATE DATABASE waits for the test's rename",
                            () -> waitingFor("CREATE DATABASE"));
                    rename.commit();

                    assertThat(run.waitFor(Duration.ofSeconds(120))).as(run.outputTail()).isEqualTo(6);
                    assertThat(run.summaryRow(LATE)).as(run.outputTail()).containsEntry("status", "FAILED");
                    assertThat(run.summaryRow(SAME)).as(run.outputTail()).containsEntry("status", "FAILED");
                    assertThat(run.stdout()).contains("target database \"" + LATE + "\" already exists",
                            "created since the checks", "target database \"" + SAME + "\" already exists",
                            "created at the same moment", "not created by this migration");
                    for (String db : List.of(LATE, SAME)) {
                        assertThat(run.migrateState().resolve(db + ".created")).as("not this run's").doesNotExist();
                    }
                }
            }
            assertUntouched();
            // the next run of this state folder refuses them before any change, as any database it did not create
            try (Launcher again = Launcher.migrate(home, source, target, args)) {
                assertThat(again.waitFor(Duration.ofSeconds(90))).as(again.outputTail()).isEqualTo(3);
                assertThat(again.stderr()).contains("already exists", "not created by this migration");
            }
            assertUntouched();
        } finally {
            exec(source, "postgres", "DROP DATABASE IF EXISTS " + LATE, "DROP DATABASE IF EXISTS " + SAME,
                    "DROP ROLE IF EXISTS " + ROLE);
            exec(target, "postgres", "DROP DATABASE IF EXISTS " + LATE, "DROP DATABASE IF EXISTS " + SAME,
                    "DROP DATABASE IF EXISTS race_other", "DROP ROLE IF EXISTS " + ROLE);
        }
    }

    /**
     * Two runs replaying the global objects onto one target at once: the one whose CREATE ROLE waited for the other's
     * got a unique violation on pg_authid once that committed, and an ALTER ROLE that waited for the other's got
     * "tuple concurrently updated": both failed (exit 6) where a role already there counts as "already existed". The
     * other run is two test sessions, each committing its change to a role while the run's statement on that role
     * waits for it; the run's ALTER ROLE then gives both roles the source's attributes.
     */
    @Test
    void aRoleCreationLostToAnotherRunCountsAsAlreadyExisting() throws Exception {
        String db = "race_lost_db";
        String role = "race_lost_role";
        String altered = "race_lost_upd";   // after role in pg_dumpall's order
        List<String> args = new ArrayList<>(Launcher.SMALL_KNOBS);
        args.addAll(List.of("--include-db", db));
        try {
            exec(source, "postgres", "CREATE DATABASE " + db,
                    "CREATE ROLE " + role + " LOGIN CONNECTION LIMIT 3 PASSWORD 'race-secret'",
                    "CREATE ROLE " + altered + " LOGIN CONNECTION LIMIT 4");
            exec(source, db, "CREATE TABLE items (id int PRIMARY KEY)", "INSERT INTO items VALUES (1), (2)");
            exec(target, "postgres", "CREATE ROLE " + altered);
            try (Connection creating = target.connect("postgres"); Statement creatingSt = creating.createStatement();
                 Connection altering = target.connect("postgres"); Statement alteringSt = altering.createStatement()) {
                creating.setAutoCommit(false);
                creatingSt.execute("CREATE ROLE " + role);
                altering.setAutoCommit(false);
                alteringSt.execute("ALTER ROLE " + altered + " CONNECTION LIMIT 1");
                try (Launcher run = Launcher.migrate(home, source, target, args)) {
                    run.waitUntil(STARTUP, "the globals replay waits for the other CREATE ROLE",
                            () -> waitingFor("CREATE ROLE " + role));
                    creating.commit();
                    run.waitUntil(STARTUP, "the globals replay waits for the other ALTER ROLE",
                            () -> waitingFor("ALTER ROLE " + altered));
                    altering.commit();
                    assertThat(run.waitFor(Duration.ofSeconds(120))).as(run.outputTail()).isEqualTo(0);
                }
            }
            assertThat(one(target, "postgres", "SELECT string_agg(rolname || ' ' || rolcanlogin || ' ' || rolconnlimit, "
                    + "', ' ORDER BY rolname) FROM pg_roles WHERE rolname LIKE 'race_lost_%'"))
                    .isEqualTo(role + " true 3, " + altered + " true 4");
            assertThat(one(target, db, "SELECT count(*)::text FROM items")).isEqualTo("2");
        } finally {
            for (EmbeddedServer server : List.of(source, target)) {
                exec(server, "postgres", "DROP DATABASE IF EXISTS " + db, "DROP ROLE IF EXISTS " + role,
                        "DROP ROLE IF EXISTS " + altered);
            }
        }
    }

    /**
     * A finished database the DBA dropped on the target, its markers left: its {@code done} marker made the next run
     * create it again empty and skip the restore, and only the final verification said so (exit 7). Its markers are
     * refused instead, before any change.
     */
    @Test
    void aFinishedDatabaseDroppedOnTheTargetIsRefusedNotRecreatedEmpty() throws Exception {
        String db = "marker_gone";
        List<String> args = knobs(List.of("--include-db", db));
        try {
            migrateOneTable(db, args);
            exec(target, "postgres", "DROP DATABASE " + db);
            try (Launcher again = Launcher.migrate(home, source, target, args)) {
                assertThat(again.waitFor(Duration.ofSeconds(90))).as(again.outputTail()).isEqualTo(5);
                assertThat(again.stderr()).contains("\"" + db + "\"", "no longer there", "delete its markers");
            }
            assertThat(one(target, "postgres", "SELECT count(*)::text FROM pg_database WHERE datname = '" + db + "'"))
                    .isEqualTo("0");
        } finally {
            for (EmbeddedServer server : List.of(source, target)) {
                exec(server, "postgres", "DROP DATABASE IF EXISTS " + db);
            }
        }
    }

    /**
     * A database this folder's run created and did not finish, dropped on the target with its markers left, then
     * created again by another run that works in it: neither {@code revert-settings} nor the next run of this folder
     * ends that run's sessions or takes the database for its own.
     */
    @Test
    void aDatabaseAnotherRunCreatedAgainIsNotTakenForThisFoldersOwn() throws Exception {
        String db = "marker_stale";
        List<String> args = knobs(List.of("--include-db", db));
        try {
            // as a run stopped before the database's properties leaves it: unfinished
            Path state = migrateOneTable(db, args);
            Files.delete(state.resolve(db + ".properties"));
            // and with a fast-load setting left applied: server-wide, it is reverted all the same
            exec(target, "postgres", "ALTER SYSTEM SET synchronous_commit = off", "SELECT pg_reload_conf()");
            Files.writeString(state.resolve("target_settings.json"), "{\"host\":\"" + target.host() + "\",\"port\":"
                    + target.port() + ",\"applied\":{\"synchronous_commit\":\"off\"},\"previous\":{}}");
            exec(target, "postgres", "DROP DATABASE " + db, "CREATE DATABASE " + db);
            exec(target, db, "CREATE TABLE theirs (id int)");
            try (Connection other = target.connect(db); Statement otherSt = other.createStatement()) {
                otherSt.execute("SET application_name = 'pg-migrate'"); // the other run's session
                try (Launcher revert = Launcher.start(home, Map.of("PGMIGRATE_TO_PASS", target.password()),
                        List.of("revert-settings", "--to-host", target.host(), "--to-port",
                                Integer.toString(target.port()), "--to-user", target.superuser()))) {
                    assertThat(revert.waitFor(Duration.ofSeconds(60))).as(revert.outputTail()).isEqualTo(5);
                    assertThat(revert.stderr()).contains("\"" + db + "\"", "not the one", "delete its markers");
                    assertThat(revert.stdout()).contains("reverted the fast-load settings");
                }
                assertThat(one(target, "postgres", "SHOW synchronous_commit")).as("reverted").isEqualTo("on");
                assertThat(state.resolve("target_settings.json")).doesNotExist();
                try (Launcher again = Launcher.migrate(home, source, target, args)) {
                    assertThat(again.waitFor(Duration.ofSeconds(90))).as(again.outputTail()).isEqualTo(5);
                    assertThat(again.stderr()).contains("\"" + db + "\"", "not the one", "delete its markers");
                }
                assertThat(otherSt.execute("SELECT 1")).as("the other run's session").isTrue();
            }
            assertThat(one(target, db, "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class "
                    + "WHERE relnamespace = 'public'::regnamespace")).isEqualTo("theirs");
        } finally {
            exec(source, "postgres", "DROP DATABASE IF EXISTS " + db);
            exec(target, "postgres", "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
    }

    /** Creates {@code db} on the source with a table of two rows and migrates it; returns the state folder. */
    private Path migrateOneTable(String db, List<String> args) throws Exception {
        exec(source, "postgres", "CREATE DATABASE " + db);
        exec(source, db, "CREATE TABLE items (id int PRIMARY KEY)", "INSERT INTO items VALUES (1), (2)");
        try (Launcher run = Launcher.migrate(home, source, target, args)) {
            assertThat(run.waitFor(Duration.ofSeconds(120))).as(run.outputTail()).isEqualTo(0);
            return run.migrateState();
        }
    }

    private static List<String> knobs(List<String> args) {
        List<String> all = new ArrayList<>(Launcher.SMALL_KNOBS);
        all.addAll(args);
        return all;
    }

    /** The other run's databases hold their own table, and nothing of this run's. */
    private void assertUntouched() throws Exception {
        for (String db : List.of(LATE, SAME)) {
            assertThat(one(target, db, "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class "
                    + "WHERE relnamespace = 'public'::regnamespace")).as(db).isEqualTo("theirs");
        }
    }

    private boolean waitingFor(String statement) throws Exception {
        return !"0".equals(one(target, "postgres", "SELECT count(*)::text FROM pg_stat_activity WHERE "
                + "application_name = 'pg-migrate' AND wait_event_type = 'Lock' AND query LIKE '" + statement + "%'"));
    }
}
