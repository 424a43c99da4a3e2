package io.pgmigrate.it;

import static io.pgmigrate.it.DelayedTablesIT.column;
import static io.pgmigrate.it.DelayedTablesIT.exec;
import static io.pgmigrate.it.FullMigrationIT.one;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgmigrate.embedded.EmbeddedServer;
import io.pgmigrate.testbed.CliRun;
import io.pgmigrate.testbed.Launcher;
import io.pgmigrate.testbed.Migration;
import io.pgmigrate.testbed.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A managed target: its login is no superuser, only CREATEROLE and CREATEDB, as Amazon RDS, Cloud SQL and Azure give,
 * simulated with a plain role. The target is initdb'd by {@code boot}, and the run logs in as {@code postgres}, a
 * CREATEROLE CREATEDB role named as the source's superuser, so what that superuser owns on the source is the login's
 * on the target. Objects of several roles (odd names), grants, default privileges and a trusted extension owned by a
 * role that is no superuser arrive, 12 -> 17 and 14 -> 15, in both modes; the verification says equal (and that the
 * passwords were not compared); the memberships the login was granted for the run are gone. What such a login cannot
 * reproduce is refused before any change, one test per kind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManagedTargetIT {
    static final String LOGIN = "postgres";
    static final String LOGIN_PASSWORD = "managed-pw";
    static final String OWNER = "Mgd \"App\" Owner";
    static final String WRITER = "mgd Zoë's rw";
    static final String READERS = "mgd_readers";
    static final String EXT_OWNER = "Mgd Ext";
    static final String DB = "Mgd DB ü";
    static final String DB2 = "mgd_two";

    @TempDir
    Path work;

    private EmbeddedServer refusalSource;
    private EmbeddedServer refusalTarget;
    /** The sources {@link #load}ed, by version: started once for the class, only read by the runs. */
    private final Map<String, EmbeddedServer> loaded = new HashMap<>();

    @BeforeAll
    void startRefusalServers() throws Exception {
        refusalSource = TestServers.fresh(TestServers.SOURCE_14);
        refusalTarget = managedTarget(TestServers.TARGET_17);
    }

    @AfterAll
    void stopRefusalServers() {
        if (refusalSource != null) {
            refusalSource.close();
        }
        if (refusalTarget != null) {
            refusalTarget.close();
        }
        loaded.values().forEach(EmbeddedServer::close);
    }

    /** A private server of this version with {@link #load}'s objects, shared by the tests of this class. */
    private EmbeddedServer loadedSource(String version) throws Exception {
        EmbeddedServer source = loaded.get(version);
        if (source == null) {
            source = TestServers.fresh(version);
            loaded.put(version, source);
            load(source);
        }
        return source;
    }

    @ParameterizedTest
    @CsvSource({"12.22.0, 17.5.0, stream", "12.22.0, 17.5.0, dump", "14.18.0, 15, stream", "14.18.0, 15, dump"})
    void migratesIntoALoginWithCreateroleAndCreatedb(String sourceVersion, String targetVersion, String mode)
            throws Exception {
        EmbeddedServer source = loadedSource(sourceVersion);
        try (EmbeddedServer target = managedTarget(targetVersion)) {
            Migration migration = managed(new Migration(source, target, Files.createTempDirectory(work, "run"))).with("--mode", mode,
                    "--include-db", "*", "--exclude-db", "postgres");
            SoftAssertions soft = new SoftAssertions();
            soft.assertThat(migration.run()).as(summary(migration)).isZero();
            JsonNode verification = new ObjectMapper().readTree(migration.migrateState().resolve("verification.json")
                    .toFile());
            soft.assertThat(verification.get("equal").asBoolean()).as(verification.toString()).isTrue();
            soft.assertThat(verification.get("notCompared").toString()).contains("the roles' passwords")
                    .contains("the memberships of the target login");
            soft.assertThat(summary(migration)).contains("not compared: the roles' passwords")
                    .contains("as with --disable-dst-optimizations");
            soft.assertThat(runLog(migration)).contains("is not a superuser but has CREATEROLE and CREATEDB: the target "
                    + "is treated as managed");
            soft.assertThat(one(target, DB, "SELECT count(*)::text FROM \"Sales\".\"Orders\"")).isEqualTo("100");
            soft.assertThat(one(target, DB, "SELECT tableowner FROM pg_tables WHERE tablename = 'Orders'"))
                    .isEqualTo(OWNER);
            soft.assertThat(one(target, DB, "SELECT tableowner FROM pg_tables WHERE tablename = 'Zoë''s t'"))
                    .isEqualTo(WRITER);
            soft.assertThat(one(target, DB, "SELECT pg_get_userbyid(extowner) FROM pg_extension "
                    + "WHERE extname = 'pgcrypto'")).isEqualTo(EXT_OWNER);
            soft.assertThat(one(target, DB, "SELECT count(*)::text FROM pg_default_acl")).isEqualTo("1");
            soft.assertThat(one(target, DB, "SELECT pg_get_userbyid(lomowner) FROM pg_largeobject_metadata"))
                    .isEqualTo(WRITER);
            soft.assertThat(one(target, DB2, "SELECT tableowner FROM pg_tables WHERE tablename = 'mine'"))
                    .isEqualTo(LOGIN);
            soft.assertThat(one(target, DB2, "SELECT tableowner FROM pg_tables WHERE tablename = 'Zoë''s own'"))
                    .isEqualTo(WRITER);
            // 16+: CREATEROLE gave the login ADMIN OPTION alone on each role it created (PostgreSQL's own doing)
            soft.assertThat(loginMemberships(target)).as("the login's memberships after the run")
                    .allMatch(m -> target.serverVersionNum() >= 160000 && m.endsWith(" boot t false false"));
            soft.assertThat(grantedByLogin(target)).as("memberships the login granted itself").isEmpty();
            soft.assertThat(migration.migrateState().resolve("login_memberships.json")).doesNotExist();
            soft.assertAll();

            // a crashed run's record: the next run (all done) gives back what it lists
            try (var c = target.connect("postgres", LOGIN, LOGIN_PASSWORD); var st = c.createStatement()) {
                st.execute("GRANT " + q(READERS) + " TO " + q(LOGIN)
                        + (target.serverVersionNum() >= 160000 ? " WITH INHERIT TRUE, SET TRUE" : ""));
            }
            assertThat(grantedByLogin(target)).as("a crashed run's grant").containsExactly(READERS);
            Files.writeString(migration.migrateState().resolve("login_memberships.json"),
                    "{\"login\":\"" + LOGIN + "\",\"roles\":[\"" + READERS + "\"]}");
            assertThat(migration.run()).as(summary(migration)).isZero();
            assertThat(grantedByLogin(target)).as("memberships left by the crashed run").isEmpty();

            // pg-migrate verify with the login, once it may read every table (the run's own verification grants that)
            String roles = String.join(", ", q(OWNER), q(WRITER), READERS, q(EXT_OWNER));
            exec(target, "postgres", "GRANT " + roles + " TO " + LOGIN
                    + (target.serverVersionNum() >= 160000 ? " WITH INHERIT TRUE, SET TRUE" : ""));
            Path json = work.resolve("verify-" + mode + ".json");
            List<String> verify = new java.util.ArrayList<>(List.of(VerifyIT.verifyArgs(source, target, "*", json)));
            verify.set(verify.indexOf("--to-user") + 1, LOGIN);
            verify.set(verify.indexOf("--to-pass") + 1, LOGIN_PASSWORD);
            verify.addAll(List.of("--exclude-db", "postgres"));
            assertThat(io.pgmigrate.cli.Main.run(verify.toArray(String[]::new))).isZero();
            assertThat(Files.readString(json)).contains("the roles' passwords").contains("\"equal\" : true");
        }
    }

    /**
     * A run killed while the login holds its grants ({@link #killedWhileGranted}): the next run revokes them first,
     * finishes, gives back its own, and the target's memberships are the source's.
     */
    @Test
    void aRunKilledWhileTheLoginHoldsItsGrantsIsGivenBackByTheNextRun() throws Exception {
        EmbeddedServer source = loadedSource(TestServers.SOURCE_14);
        try (EmbeddedServer target = managedTarget(TestServers.TARGET_17)) {
            Migration migration = killedWhileGranted(source, target, Files.createTempDirectory(work, "run"), () -> { });
            Path record = migration.migrateState().resolve("login_memberships.json");

            assertThat(migration.run()).as(summary(migration)).isZero();
            assertThat(runLog(migration)).contains("revoking the 4 membership(s) an earlier run granted");
            assertThat(grantedByLogin(target)).as("after the next run").isEmpty();
            assertThat(record).doesNotExist();
            assertThat(new ObjectMapper().readTree(migration.migrateState().resolve("verification.json").toFile())
                    .get("equal").asBoolean()).isTrue();
        }
    }

    /**
     * 16+: a membership the login already granted itself, with SET but not INHERIT (as createrole_self_grant = 'set'
     * gives it on each role it creates), lacks what the run needs: the run's GRANT, whose grantor is the login too,
     * changes that grant's options, and giving back must put them back, not revoke the grant the target had.
     */
    @Test
    void aMembershipTheLoginGrantedItselfBeforeTheRunIsKeptWithItsOptions() throws Exception {
        EmbeddedServer source = loadedSource(TestServers.SOURCE_14);
        try (EmbeddedServer target = managedTarget(TestServers.TARGET_17)) {
            try (var c = target.connect("postgres", LOGIN, LOGIN_PASSWORD); var st = c.createStatement()) {
                st.execute("CREATE ROLE " + READERS + " NOLOGIN");
                st.execute("GRANT " + READERS + " TO " + LOGIN + " WITH INHERIT FALSE, SET TRUE");
            }
            List<String> before = loginMemberships(target);
            String own = READERS + " " + LOGIN + " f false true";
            assertThat(before).contains(own);
            Migration migration = managed(new Migration(source, target, Files.createTempDirectory(work, "run")))
                    .with("--mode", "dump", "--include-db", "*", "--exclude-db", "postgres");
            assertThat(migration.run()).as(summary(migration)).isZero();
            assertThat(loginMemberships(target)).as("the login's memberships after the run").contains(own)
                    .allMatch(m -> m.equals(own) || m.endsWith(" boot t false false"));
            assertThat(migration.migrateState().resolve("login_memberships.json")).doesNotExist();
        }
    }

    /**
     * The same killed run, given up: {@code pg-migrate revert-settings}, as the login, gives the grants back as the
     * next run would, and says so; refused while the run holds the state folder, or for another target, it gives
     * nothing back; run again, it says nothing is left.
     */
    @Test
    void revertSettingsGivesBackTheGrantsOfAKilledRun() throws Exception {
        EmbeddedServer source = loadedSource(TestServers.SOURCE_14);
        try (EmbeddedServer target = managedTarget(TestServers.TARGET_17)) {
            Path dir = Files.createTempDirectory(work, "run");
            Migration migration = killedWhileGranted(source, target, dir, () -> {
                CliRun.Result busy = revertSettings(target, dir);
                assertThat(busy.exitCode()).as(busy.toString()).isEqualTo(5);
                assertThat(busy.errorLines()).as(busy.toString()).singleElement().asString()
                        .contains("another pg-migrate run is using the state folder");
                assertThat(grantedByLogin(target)).as("left to the run").hasSize(4);
            });
            Path record = migration.migrateState().resolve("login_memberships.json");

            CliRun.Result elsewhere = revertSettings(refusalTarget, dir);
            assertThat(elsewhere.exitCode()).as(elsewhere.toString()).isEqualTo(5);
            assertThat(elsewhere.errorLines()).as(elsewhere.toString()).singleElement().asString()
                    .contains("connect to that target");
            assertThat(grantedByLogin(target)).as("left by a refused call").hasSize(4);
            assertThat(record).exists();

            CliRun.Result reverted = revertSettings(target, dir);
            assertThat(reverted.exitCode()).as(reverted.toString()).isZero();
            assertThat(grantedByLogin(target)).as("after revert-settings").isEmpty();
            assertThat(record).doesNotExist();
            assertThat(reverted.stdout().lines().filter(l -> !l.startsWith("stopped ")).toList())
                    .as(reverted.toString()).singleElement().asString()
                    .startsWith("gave back the 4 membership(s) the crashed run granted to the target login "
                            + q(LOGIN) + " on " + target.host() + ":" + target.port() + ": ")
                    .contains(q(OWNER), q(WRITER), READERS, q(EXT_OWNER));

            CliRun.Result again = revertSettings(target, dir);
            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(again.stdout()).as(again.toString()).startsWith("nothing to revert: ");
        }
    }

    private interface WhileRunning {
        void check() throws Exception;
    }

    /**
     * The packaged tool is SIGKILLed once the login holds the run's grants (the dump of a database waits for a lock
     * on the source): nothing gives them back then. {@code whileGranted} runs just before the SIGKILL; the state
     * folder is in {@code dir}; the source is {@link #load}ed.
     */
    private Migration killedWhileGranted(EmbeddedServer source, EmbeddedServer target, Path dir,
                                         WhileRunning whileGranted) throws Exception {
        Migration migration = managed(new Migration(source, target, dir)).with("--mode", "dump",
                "--include-db", "*", "--exclude-db", "postgres");
        Path record = migration.migrateState().resolve("login_memberships.json");
        try (Connection blocker = source.connect(DB)) {
            blocker.setAutoCommit(false);
            try (Statement st = blocker.createStatement()) {
                st.execute("LOCK TABLE \"Sales\".\"Orders\" IN ACCESS EXCLUSIVE MODE");
            }
            try (Launcher first = Launcher.start(dir, java.util.Map.of(), migration.args())) {
                first.waitUntil(Duration.ofSeconds(60), "the login holds the run's grants",
                        () -> Files.exists(record) && grantedByLogin(target).size() == 4);
                whileGranted.check();
                first.signal("KILL");
                assertThat(first.waitFor(Duration.ofSeconds(10))).isEqualTo(128 + 9);
            }
            blocker.rollback();
        }
        assertThat(grantedByLogin(target)).as("the killed run's grants").hasSize(4);
        assertThat(record).exists();
        return migration;
    }

    /** {@code pg-migrate revert-settings} as the managed login, with the state folder of the run in {@code dir}. */
    private CliRun.Result revertSettings(EmbeddedServer target, Path dir) {
        return new CliRun(dir).env("PGMIGRATE_TO_PASS", LOGIN_PASSWORD)
                .args("revert-settings", "--to-host", target.host(), "--to-port", Integer.toString(target.port()),
                        "--to-user", LOGIN, "--to-db", "postgres", "--state-dir", dir.toString())
                .run();
    }

    /** One refusal per kind: exit 3 naming it, and nothing changed on the target. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "CREATE ROLE mgd_super SUPERUSER | DROP ROLE mgd_super | role mgd_super (SUPERUSER)",
            "CREATE ROLE mgd_repl REPLICATION BYPASSRLS | DROP ROLE mgd_repl | role mgd_repl (REPLICATION, BYPASSRLS)",
            "ALTER ROLE mgd_plain SET log_min_duration_statement = 0 | ALTER ROLE mgd_plain RESET ALL "
                    + "| setting only a superuser may give: log_min_duration_statement (role \"mgd_plain\")",
            "@db CREATE FUNCTION c_fn() RETURNS int LANGUAGE c AS '$libdir/plpgsql', 'plpgsql_call_handler' "
                    + "| @db DROP FUNCTION c_fn() | function in an untrusted language: c_fn() (c)",
            "@db CREATE FUNCTION et_fn() RETURNS event_trigger LANGUAGE plpgsql AS 'begin end'; "
                    + "CREATE EVENT TRIGGER mgd_et ON ddl_command_start EXECUTE FUNCTION et_fn() "
                    + "| @db DROP EVENT TRIGGER mgd_et; DROP FUNCTION et_fn() | event trigger: mgd_et",
            "@db CREATE EXTENSION pageinspect | @db DROP EXTENSION pageinspect "
                    + "| extension not trusted on the target: \"pageinspect\"",
            "@db CREATE PUBLICATION mgd_all FOR ALL TABLES | @db DROP PUBLICATION mgd_all "
                    + "| publication FOR ALL TABLES: mgd_all",
            "@db CREATE SUBSCRIPTION mgd_sub CONNECTION 'dbname=nowhere' PUBLICATION p WITH (connect = false) "
                    + "| @db ALTER SUBSCRIPTION mgd_sub SET (slot_name = NONE); DROP SUBSCRIPTION mgd_sub "
                    + "| subscription: mgd_sub",
            "@db CREATE TABLE mgd_su_table (a int); ALTER TABLE mgd_su_table OWNER TO boss | @db DROP TABLE mgd_su_table "
                    + "| owned by a superuser: table mgd_su_table (owner boss)",
            "@tablespace | | tablespace \"mgd_ts\"",
            "@target CREATE ROLE mgd_plain | @target DROP ROLE mgd_plain "
                    + "| role on the target already, which the login may not alter nor grant itself: mgd_plain"})
    void refusesWhatTheLoginCannotReproduce(String setup, String cleanup, String named) throws Exception {
        String db = "mgd_refused";
        exec(refusalSource, "postgres", "CREATE ROLE mgd_plain", "CREATE ROLE boss SUPERUSER",
                "CREATE DATABASE " + db + " OWNER mgd_plain");
        Path tablespace = refusalSource.dataDir().getParent().resolve("mgd_ts");
        try {
            if (setup.equals("@tablespace")) {
                Files.createDirectories(tablespace);
                new ProcessBuilder("chown", "postgres:postgres", tablespace.toString()).inheritIO().start().waitFor();
                exec(refusalSource, "postgres", "CREATE TABLESPACE mgd_ts LOCATION '" + tablespace + "'");
            } else {
                run(setup, db);
            }
            if (!setup.contains("boss")) {
                exec(refusalSource, "postgres", "DROP ROLE boss");
            }
            assertThat(refusal(db)).contains("is not a superuser (a managed target), and cannot reproduce")
                    .contains(named);
        } finally {
            if (setup.equals("@tablespace")) {
                exec(refusalSource, "postgres", "DROP TABLESPACE IF EXISTS mgd_ts");
            } else if (cleanup != null) {
                run(cleanup, db);
            }
            exec(refusalSource, "postgres", "DROP DATABASE " + db, "DROP ROLE IF EXISTS boss", "DROP ROLE mgd_plain");
        }
    }

    /**
     * What only a superuser may create or grant, in one database, named on one line: each failed half-way through the
     * restore on 15 and 17 ("permission denied"), or, a privilege PUBLIC gave the login, was skipped with a warning and
     * found missing by the verification (exit 7 with the database restored).
     */
    @Test
    void refusesLanguagesWrappersAndGrantsTheLoginCannotMake() throws Exception {
        String db = "mgd_grants";
        exec(refusalSource, "postgres", "CREATE ROLE mgd_grantor", "CREATE DATABASE " + db + " OWNER mgd_grantor");
        try {
            exec(refusalSource, db, "CREATE TRUSTED LANGUAGE mgd_pl HANDLER plpgsql_call_handler",
                    "ALTER LANGUAGE mgd_pl OWNER TO mgd_grantor",
                    "CREATE FOREIGN DATA WRAPPER mgd_w", "GRANT USAGE ON FOREIGN DATA WRAPPER mgd_w TO mgd_grantor",
                    "GRANT EXECUTE ON FUNCTION pg_stat_reset() TO mgd_grantor",
                    "CREATE EXTENSION hstore", "REVOKE EXECUTE ON FUNCTION exist(hstore, text) FROM PUBLIC",
                    "REVOKE USAGE ON LANGUAGE plpgsql FROM PUBLIC",
                    "CREATE TABLE mgd_chain (a int)", "GRANT SELECT ON mgd_chain TO mgd_grantor WITH GRANT OPTION",
                    "SET ROLE mgd_grantor", "CREATE SERVER mgd_s FOREIGN DATA WRAPPER mgd_w",
                    "CREATE USER MAPPING FOR mgd_grantor SERVER mgd_s", "GRANT SELECT ON mgd_chain TO PUBLIC");
            assertThat(refusal(db)).contains("cannot reproduce 6 object(s) faithfully: ")
                    .contains("\"mgd_grants\": procedural language: mgd_pl; ")
                    .contains("\"mgd_grants\": foreign-data wrapper: mgd_w; ")
                    .contains("\"mgd_grants\": privileges changed on a pg_catalog object: function pg_stat_reset(); ")
                    .contains("\"mgd_grants\": privileges changed on an extension's object: "
                            + "function exist(hstore,text); ")
                    .contains("\"mgd_grants\": privileges changed on an extension's object: language plpgsql; ")
                    .contains("\"mgd_grants\": privilege granted by a role other than its object's owner: "
                            + "table mgd_chain (grantor mgd_grantor); ");
        } finally {
            exec(refusalSource, "postgres", "DROP DATABASE " + db, "DROP ROLE mgd_grantor");
        }
    }

    /** The one line of a managed run of {@code db} from the refusal servers, which must exit 3 and change nothing. */
    private String refusal(String db) throws Exception {
        List<String> roles = column(refusalTarget, "postgres", "SELECT rolname FROM pg_roles ORDER BY 1");
        List<String> databases = column(refusalTarget, "postgres", "SELECT datname FROM pg_database ORDER BY 1");
        Path dir = Files.createTempDirectory(work, "run");
        CliRun.Result r = new CliRun(dir).inThisJvm().args(managed(new Migration(refusalSource, refusalTarget, dir))
                .with("--include-db", db).args()).run();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.errorLines()).as(r.toString()).hasSize(1);
        assertThat(column(refusalTarget, "postgres", "SELECT rolname FROM pg_roles ORDER BY 1")).isEqualTo(roles);
        assertThat(column(refusalTarget, "postgres", "SELECT datname FROM pg_database ORDER BY 1"))
                .isEqualTo(databases);
        return r.errorLines().get(0);
    }

    /** --delay-table-data loads with pg_restore --disable-triggers, which a foreign key's triggers refuse it. */
    @Test
    void delayedTablesNeedASuperuser() throws Exception {
        Path dir = Files.createTempDirectory(work, "run");
        CliRun.Result r = new CliRun(dir).inThisJvm().args(managed(new Migration(refusalSource, refusalTarget,
                dir)).with("--delay-table-data", "postgres.t", "--allow-unmatched-delay").args()).run();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.errorLines()).as(r.toString()).singleElement().asString()
                .contains("--delay-table-data needs a target login that is a superuser");
    }

    /** A target before 15 still needs a superuser login: refused as before (exit 3). */
    @Test
    void aTargetBefore15NeedsASuperuser() throws Exception {
        try (EmbeddedServer target = managedTarget(TestServers.SOURCE_14)) {
            Path dir = Files.createTempDirectory(work, "run");
            CliRun.Result r = new CliRun(dir).inThisJvm()
                    .args(managed(new Migration(refusalSource, target, dir)).args()).run();
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
            assertThat(r.errorLines()).as(r.toString()).singleElement().asString()
                    .contains("user postgres is not a superuser").contains("this one is PostgreSQL 14");
        }
    }

    /**
     * Statements "a; b" in the source's maintenance database, after "@db " in the refused test's database, after
     * "@target " in the target's maintenance database (as its bootstrap superuser).
     */
    private void run(String statements, String db) throws Exception {
        if (statements.startsWith("@target ")) {
            exec(refusalTarget, "postgres", statements.substring(8).split("; "));
            return;
        }
        boolean inDb = statements.startsWith("@db ");
        exec(refusalSource, inDb ? db : "postgres",
                (inDb ? statements.substring(4) : statements).split("; "));
    }

    /** A server initdb'd by boot, with the run's login: CREATEROLE CREATEDB, no superuser. */
    private static EmbeddedServer managedTarget(String version) throws Exception {
        EmbeddedServer target = TestServers.freshWithSuperuser(version, "boot");
        exec(target, "postgres", "CREATE ROLE " + LOGIN + " LOGIN CREATEROLE CREATEDB PASSWORD '" + LOGIN_PASSWORD
                + "'");
        return target;
    }

    private static Migration managed(Migration migration) {
        return migration.targetLogin(LOGIN, LOGIN_PASSWORD);
    }

    /**
     * Roles of several owners, odd names, grants (to a predefined role too), default privileges, a trusted extension
     * owned by a plain role.
     */
    private static void load(EmbeddedServer source) throws Exception {
        boolean trusted = source.serverVersionNum() >= 130000;
        exec(source, "postgres", "CREATE ROLE " + q(OWNER) + " LOGIN PASSWORD 'o1'",
                "CREATE ROLE " + q(WRITER) + " LOGIN PASSWORD 'w1'", "CREATE ROLE " + READERS + " NOLOGIN",
                "CREATE ROLE " + q(EXT_OWNER) + " LOGIN" + (trusted ? "" : " SUPERUSER"),
                "GRANT " + READERS + " TO " + q(WRITER), "GRANT " + q(OWNER) + " TO " + q(EXT_OWNER),
                "ALTER ROLE " + READERS + " SET work_mem = '8MB'",
                "CREATE DATABASE " + q(DB) + " OWNER " + q(OWNER), "CREATE DATABASE " + DB2);
        exec(source, DB, "GRANT CREATE ON DATABASE " + q(DB) + " TO " + q(EXT_OWNER),
                "GRANT CONNECT ON DATABASE " + q(DB) + " TO pg_monitor",
                "SET ROLE " + q(EXT_OWNER), "CREATE EXTENSION pgcrypto", "RESET ROLE",
                "SET ROLE " + q(OWNER), "CREATE SCHEMA \"Sales\"",
                "CREATE TABLE \"Sales\".\"Orders\" (id int PRIMARY KEY, note text)",
                "INSERT INTO \"Sales\".\"Orders\" SELECT g, 'n' || g FROM generate_series(1, 100) g",
                "GRANT USAGE, CREATE ON SCHEMA \"Sales\" TO " + q(WRITER),
                "GRANT USAGE ON SCHEMA \"Sales\" TO " + READERS,
                "GRANT SELECT ON \"Sales\".\"Orders\" TO " + READERS,
                "GRANT REFERENCES ON \"Sales\".\"Orders\" TO " + q(WRITER),
                // grants the login makes as their owner: to a predefined role, of a column with a grant option
                "GRANT SELECT ON \"Sales\".\"Orders\" TO pg_monitor",
                "GRANT UPDATE (note) ON \"Sales\".\"Orders\" TO " + q(WRITER) + " WITH GRANT OPTION",
                "ALTER DEFAULT PRIVILEGES IN SCHEMA \"Sales\" GRANT SELECT ON TABLES TO " + READERS,
                "CREATE FUNCTION \"Sales\".total() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM \"Sales\".\"Orders\"'",
                "CREATE VIEW \"Sales\".\"Big Orders\" AS SELECT * FROM \"Sales\".\"Orders\" WHERE id > 50",
                "RESET ROLE", "SET ROLE " + q(WRITER),
                "CREATE TABLE \"Sales\".\"Zoë's t\" (id serial PRIMARY KEY, o int REFERENCES \"Sales\".\"Orders\")",
                "INSERT INTO \"Sales\".\"Zoë's t\" (o) SELECT g FROM generate_series(1, 10) g",
                "GRANT SELECT ON \"Sales\".\"Zoë's t\" TO " + READERS,
                "SELECT lo_from_bytea(0, 'a large object')", "RESET ROLE");
        if (!trusted) {
            exec(source, "postgres", "ALTER ROLE " + q(EXT_OWNER) + " NOSUPERUSER");
        }
        // in a schema whose CREATE its owner has by a grant only (PUBLIC's, before 15), in a database without an
        // extension of another owner (whose restore splits pg_restore, each part granting at its end)
        exec(source, DB2, "CREATE TABLE mine (a int)", "INSERT INTO mine VALUES (1)", "SET ROLE " + q(WRITER),
                "CREATE TABLE public.\"Zoë's own\" (a int)", "INSERT INTO public.\"Zoë's own\" VALUES (2)",
                "RESET ROLE");
    }

    /** The login's memberships: role, grantor, options. */
    private static List<String> loginMemberships(EmbeddedServer target) throws Exception {
        return column(target, "postgres", "SELECT concat_ws(' ', pg_get_userbyid(roleid), pg_get_userbyid(grantor), "
                + "admin_option, to_jsonb(m) ->> 'inherit_option', to_jsonb(m) ->> 'set_option') "
                + "FROM pg_auth_members m WHERE member = (SELECT oid FROM pg_roles WHERE rolname = '" + LOGIN + "') "
                + "ORDER BY 1");
    }

    private static List<String> grantedByLogin(EmbeddedServer target) throws Exception {
        return column(target, "postgres", "SELECT pg_get_userbyid(roleid) FROM pg_auth_members WHERE member = "
                + "(SELECT oid FROM pg_roles WHERE rolname = '" + LOGIN + "') AND grantor = member");
    }

    private static String runLog(Migration migration) throws Exception {
        StringBuilder out = new StringBuilder();
        try (var files = Files.list(migration.migrateState().resolve("logs"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("pg-migrate-")).toList()) {
                out.append(Files.readString(f));
            }
        }
        return out.toString();
    }

    private static String summary(Migration migration) throws Exception {
        Path file = migration.migrateState().resolve("summary.json");
        return Files.exists(file) ? Files.readString(file) : "(no summary)";
    }

    private static String q(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
