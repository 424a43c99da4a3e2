package io.pgmigrate.it;

import static io.pgmigrate.it.DelayedTablesIT.exec;
import static io.pgmigrate.it.FullMigrationIT.one;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgmigrate.embedded.EmbeddedServer;
import io.pgmigrate.postgres.GlobalsReplayer;
import io.pgmigrate.postgres.GlobalsScript;
import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.testbed.Migration;
import io.pgmigrate.testbed.TestServers;
import io.pgmigrate.testbed.WrappedPgBin;
import io.pgmigrate.verify.Difference;
import io.pgmigrate.verify.RowCheck;
import io.pgmigrate.verify.VerificationReport;
import io.pgmigrate.verify.VerificationRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Global objects through the real tool. Before 16, a role with CREATEROLE could grant any role without holding ADMIN on it; pg_dumpall before 16 writes
 * that grantor (GRANTED BY), and a 16+ target refuses it. From 12 to 17 the membership arrives, granted by the
 * tool's own login. A role's setting in one database ({@code ALTER ROLE r IN DATABASE d SET}) arrives with that
 * database, whichever pg_dumpall wrote the globals.
 */
class RoleGrantorIT {
    @TempDir
    Path work;

    private final EmbeddedServer source = TestServers.get(TestServers.SOURCE_12);
    private final EmbeddedServer target = TestServers.get(TestServers.TARGET_17);

    @Test
    void aMembershipGrantedByACreateroleRoleBefore16Arrives() throws Exception {
        String db = "grantor_db";
        exec(source, "postgres", "CREATE DATABASE " + db,
                "CREATE ROLE \"gb mgr\" CREATEROLE", "CREATE ROLE \"gb grp\"", "CREATE ROLE \"gb app\"",
                "SET ROLE \"gb mgr\"", "GRANT \"gb grp\" TO \"gb app\"", "RESET ROLE");
        try {
            Migration migration = new Migration(source, target, work).with("--include-db", db);
            migration.run();
            assertThat(Files.readString(migration.migrateState().resolve("summary.json")))
                    .doesNotContain("global object not migrated");
            assertThat(one(target, "postgres", "SELECT pg_has_role('gb app', 'gb grp', 'MEMBER')::text"))
                    .isEqualTo("true");
        } finally {
            dropRoles(List.of(source, target), "gb app", "gb grp", "gb mgr");
            exec(source, "postgres", "DROP DATABASE " + db);
        }
    }

    /**
     * 9.6 -> 17 with the client tools here (15): pg_dumpall 11 and later leave a role's settings in a database out
     * of --globals-only; the setting arrives with the database's properties, and verification agrees.
     */
    @Test
    void aRoleSettingInADatabaseArrivesFrom96() throws Exception {
        EmbeddedServer source96 = TestServers.get(TestServers.SOURCE_96);
        String db = "rs96 Db 'Q' \"Y\"";
        String role = "rs96 R'ole \"X\"";
        exec(source96, "postgres", "CREATE ROLE " + q(role) + " LOGIN", "CREATE DATABASE " + q(db),
                "ALTER ROLE " + q(role) + " IN DATABASE " + q(db) + " SET work_mem = '3MB'");
        try {
            Migration migration = new Migration(source96, target, work).with("--include-db", "rs96*");
            assertThat(migration.run()).as(summary(migration)).isZero();
            assertThat(settingIn(target, role, db)).isEqualTo("work_mem=3MB");
            assertThat(new ObjectMapper().readTree(migration.migrateState().resolve("verification.json").toFile())
                    .get("equal").asBoolean()).isTrue();
        } finally {
            exec(target, "postgres", "DROP DATABASE IF EXISTS " + q(db), "DROP ROLE IF EXISTS " + q(role));
            exec(source96, "postgres", "DROP DATABASE " + q(db), "DROP ROLE " + q(role));
        }
    }

    /**
     * pg_dumpall 10 and older (which --pg-bin may name, e.g. for a 9.x source) write {@code ALTER ROLE r IN DATABASE
     * d SET} into --globals-only, for every database: here a wrapper appends them as pg_dumpall 10's
     * dumpDbRoleConfig writes them. Replayed with the globals, they ran before their database existed on the target
     * (refused: the run failed with exit 6) and reached a target database of the same name that the run does not
     * migrate. They now come with the migrated database's properties only, so the run passes and the other database
     * is left alone.
     */
    @Test
    void perDatabaseRoleSettingsOfAnOldPgDumpallWaitForTheirDatabase() throws Exception {
        String db = "rsold Db 'Q' \"Y\"";
        String other = "rsold_other";
        String role = "rsold R'ole \"X\"";
        exec(source, "postgres", "CREATE ROLE " + q(role) + " LOGIN", "CREATE DATABASE " + q(db),
                "CREATE DATABASE " + other,
                "ALTER ROLE " + q(role) + " IN DATABASE " + q(db) + " SET work_mem = '3MB'",
                "ALTER ROLE " + q(role) + " IN DATABASE " + other + " SET work_mem = '5MB'");
        exec(target, "postgres", "CREATE DATABASE " + other); // the target's own, not migrated
        try {
            Migration migration = new Migration(source, target, work).with("--include-db", "rsold D*",
                    "--pg-bin", olderPgDumpall().toString());
            SoftAssertions first = new SoftAssertions();
            first.assertThat(migration.run()).as(summary(migration)).isZero();
            first.assertThat(settingIn(target, role, db)).isEqualTo("work_mem=3MB");
            first.assertThat(settingIn(target, role, other)).as("a database the run does not migrate").isNull();
            first.assertAll();

            assertThat(migration.run()).as("a second run: " + summary(migration)).isZero();
            assertThat(settingIn(target, role, db)).isEqualTo("work_mem=3MB");
        } finally {
            exec(target, "postgres", "DROP DATABASE IF EXISTS " + q(db), "DROP DATABASE IF EXISTS " + other,
                    "DROP ROLE IF EXISTS " + q(role));
            exec(source, "postgres", "DROP DATABASE " + q(db), "DROP DATABASE " + other, "DROP ROLE " + q(role));
        }
    }

    /**
     * Sources initdb'd by {@code postgres}, a target by {@code admin}, each reached as its own bootstrap superuser:
     * 15 -> 16 in dump mode, 12 -> 16 in stream mode. The target's {@code admin} stays as it was; the source's
     * {@code postgres} arrives, a superuser, with its password. What {@code postgres} and the other roles own and
     * granted arrives as it was, grantors included (a database privilege that a role holding the grant option gave
     * was given by the database's owner), and verifies equal: plpgsql, each server's own, belongs to each one's
     * bootstrap superuser, so the privileges changed on it name the owner as such. Reached as another superuser, the
     * target does not give its bootstrap superuser the password of a source role of the same name.
     */
    @Test
    void aTargetWhoseBootstrapSuperuserHasAnotherNameGetsWhatTheSourceHad() throws Exception {
        EmbeddedServer source15 = TestServers.get(TestServers.PG15);
        try (EmbeddedServer admin = TestServers.freshWithSuperuser(TestServers.TARGET_16, "admin")) {
            for (EmbeddedServer from : List.of(source15, source)) {
                String mode = from == source ? "stream" : "dump";
                String db = "bs " + mode;
                try {
                    exec(from, "postgres", "CREATE ROLE \"bs reader\" LOGIN", "CREATE ROLE \"bs third\"",
                            "CREATE ROLE \"bs owner\"", "CREATE DATABASE " + q(db),
                            "REVOKE TEMPORARY ON DATABASE " + q(db) + " FROM PUBLIC",
                            "GRANT CONNECT ON DATABASE " + q(db) + " TO \"bs reader\" WITH GRANT OPTION",
                            "SET ROLE \"bs reader\"", "GRANT CONNECT ON DATABASE " + q(db) + " TO \"bs third\"");
                    exec(from, db, "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
                            "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO \"bs reader\"",
                            "CREATE SCHEMA s", "CREATE TABLE s.t (id int)", "INSERT INTO s.t VALUES (1)",
                            "CREATE TABLE s.o (id int)", "ALTER TABLE s.o OWNER TO \"bs owner\"",
                            "CREATE FUNCTION s.f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
                            "REVOKE EXECUTE ON FUNCTION s.f() FROM PUBLIC",
                            "GRANT USAGE ON SCHEMA s TO \"bs reader\" WITH GRANT OPTION",
                            "GRANT EXECUTE ON FUNCTION s.f() TO \"bs reader\" WITH GRANT OPTION",
                            "GRANT SELECT ON s.t TO \"bs reader\" WITH GRANT OPTION",
                            "SELECT lo_from_bytea(770001, 'blob')",
                            "GRANT SELECT ON LARGE OBJECT 770001 TO \"bs reader\" WITH GRANT OPTION",
                            "REVOKE USAGE ON LANGUAGE plpgsql FROM PUBLIC",
                            "GRANT USAGE ON LANGUAGE plpgsql TO \"bs reader\" WITH GRANT OPTION",
                            "SET ROLE \"bs reader\"", "GRANT USAGE ON SCHEMA s TO \"bs third\"",
                            "GRANT SELECT ON s.t TO \"bs third\"", "GRANT EXECUTE ON FUNCTION s.f() TO \"bs third\"",
                            "GRANT SELECT ON LARGE OBJECT 770001 TO \"bs third\"",
                            "GRANT USAGE ON LANGUAGE plpgsql TO \"bs third\"");

                    Migration migration = new Migration(from, admin, work.resolve(mode)).with("--include-db", db,
                            "--mode", mode);
                    assertThat(migration.run()).as(from.majorVersion() + " -> 16, " + summary(migration)).isZero();
                    assertThat(privileges(admin, db)).as(mode).isEqualTo(privileges(from, db));
                    String datacl = "SELECT array_to_string(datacl, ' ') FROM pg_database WHERE datname = "
                            + FullMigrationIT.lit(db);
                    assertThat(one(admin, "postgres", datacl)).isEqualTo(one(from, "postgres", datacl))
                            .contains("\"bs third\"=c/\"bs reader\"");
                } finally {
                    exec(from, "postgres", "DROP DATABASE IF EXISTS " + q(db));
                    dropRoles(List.of(from), "bs reader", "bs third", "bs owner");
                }
            }
            assertThat(one(admin, "postgres", "SELECT string_agg(rolname || ':' || rolsuper, ' ' ORDER BY rolname)"
                    + " FROM pg_roles WHERE rolname IN ('admin', 'postgres')")).isEqualTo("admin:true postgres:true");
            try (Connection asPostgres = admin.connect("postgres", "postgres", source.password())) {
                assertThat(asPostgres.isValid(5)).as("the source's postgres logs in with its password").isTrue();
            }
            try (Connection asAdmin = admin.connect("postgres", "admin", admin.password())) {
                assertThat(asAdmin.isValid(5)).as("the target's admin keeps its password").isTrue();
            }

            // reached as another superuser, the target's bootstrap superuser is still left alone: a source role of
            // its name does not give it its password (nor, on a target before 16, take SUPERUSER from it: the summary
            // names no md5 hash of it to reset) nor its settings, which verification names, and the summary says why;
            // its memberships arrive
            exec(admin, "postgres", "CREATE ROLE ops SUPERUSER LOGIN PASSWORD 'ops-pw'");
            exec(source, "postgres", "SET password_encryption = 'md5'",
                    "CREATE ROLE admin SUPERUSER CREATEROLE CREATEDB REPLICATION BYPASSRLS LOGIN"
                    + " PASSWORD 'source-admin-pw'", "ALTER ROLE admin SET work_mem = '3MB'",
                    "CREATE ROLE \"bs grp\"", "GRANT \"bs grp\" TO admin", "CREATE DATABASE bs_ops");
            try {
                Migration migration = new Migration(source, admin, work.resolve("ops"))
                        .targetLogin("ops", "ops-pw").with("--include-db", "bs_ops");
                assertThat(migration.run()).as(summary(migration)).isEqualTo(7);
                assertThat(new ObjectMapper().readTree(migration.migrateState().resolve("verification.json").toFile())
                        .get("globals").toString()).as("the only difference").contains("role setting")
                        .contains("work_mem=3MB").doesNotContain("\"kind\":\"role\"")
                        .doesNotContain("membership");
                assertThat(summary(migration)).contains("not applied to the target's bootstrap superuser")
                        .as("admin keeps the target's password: no md5 hash of the source's to reset")
                        .doesNotContain("md5 password hashes");
                assertThat(one(admin, "postgres", "SELECT pg_has_role('admin', 'bs grp', 'MEMBER')::text"))
                        .isEqualTo("true");
                try (Connection asAdmin = admin.connect("postgres", "admin", admin.password())) {
                    assertThat(asAdmin.isValid(5)).as("the target's admin keeps its password").isTrue();
                }
            } finally {
                exec(source, "postgres", "DROP DATABASE bs_ops", "DROP ROLE admin", "DROP ROLE \"bs grp\"");
            }
        }
    }

    /**
     * 17, initdb'd by {@code postgres}, to 18 initdb'd by {@code admin}, the globals as pg_dumpall 17 writes them (the
     * client tools here cannot dump a 17 source). From 16 on a superuser's grant is recorded as the bootstrap
     * superuser's, so the source's membership reads GRANTED BY postgres, which the target refuses for postgres, one
     * more superuser there ("The grantor must have the ADMIN option"): the membership was lost. It now arrives,
     * granted by the target's bootstrap superuser, and verifies equal to the source's.
     */
    @Test
    void aMembershipGrantedByTheSourcesBootstrapSuperuserArrivesOnA16TargetInitdbdByAnother() throws Exception {
        EmbeddedServer from = TestServers.get(TestServers.TARGET_17);
        try (EmbeddedServer admin = TestServers.freshWithSuperuser(TestServers.TARGET_18, "admin")) {
            exec(from, "postgres", "CREATE ROLE \"bb grp\"", "CREATE ROLE \"bb app\"", "GRANT \"bb grp\" TO \"bb app\"");
            try {
                String attributes = " WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB NOLOGIN NOREPLICATION NOBYPASSRLS;";
                String script = String.join("\n", "CREATE ROLE postgres;",
                        "ALTER ROLE postgres WITH SUPERUSER INHERIT CREATEROLE CREATEDB LOGIN REPLICATION BYPASSRLS;",
                        "CREATE ROLE \"bb app\";", "ALTER ROLE \"bb app\"" + attributes,
                        "CREATE ROLE \"bb grp\";", "ALTER ROLE \"bb grp\"" + attributes,
                        "GRANT \"bb grp\" TO \"bb app\" WITH INHERIT TRUE GRANTED BY postgres;",
                        "", "--", "-- PostgreSQL database cluster dump complete", "--", "");
                List<String> statements = GlobalsScript.parse(script).statementsFor("admin", 17, 18, "postgres",
                        "admin");
                try (Connection c = admin.connect("postgres")) {
                    assertThat(new GlobalsReplayer(c).replay(statements).failures()).isEmpty();
                }
                assertThat(one(admin, "postgres", "SELECT pg_has_role('bb app', 'bb grp', 'MEMBER')::text"))
                        .isEqualTo("true");
                assertThat(membershipDifferences(from, admin, "bb ")).isEmpty();
            } finally {
                dropRoles(List.of(from), "bb app", "bb grp");
            }
        }
    }

    /**
     * Owners and privileges of what the test above made in {@code db}, as text ({@code name:owner:acl}); default
     * privileges sorted, as the server sorts them by the roles' oids.
     */
    private static String privileges(EmbeddedServer server, String db) throws Exception {
        return one(server, db, "SELECT concat_ws(' | ',"
                + " (SELECT string_agg(nspname || ':' || nspowner::regrole || ':' || nspacl::text, ' '"
                + "    ORDER BY nspname) FROM pg_namespace WHERE nspname IN ('s', 'public')),"
                + " (SELECT string_agg(relname || ':' || relowner::regrole || ':' || coalesce(relacl::text, '-'), ' '"
                + "    ORDER BY relname) FROM pg_class WHERE relnamespace = 's'::regnamespace),"
                + " (SELECT proowner::regrole || ':' || proacl::text FROM pg_proc WHERE proname = 'f'),"
                + " (SELECT lomowner::regrole || ':' || lomacl::text FROM pg_largeobject_metadata WHERE oid = 770001),"
                + " (SELECT string_agg(a::text, ' ' ORDER BY a::text) FROM pg_default_acl, unnest(defaclacl) a))");
    }

    /** A --pg-bin whose pg_dumpall adds what pg_dumpall 10 and older add to --globals-only: per-database role settings. */
    private Path olderPgDumpall() throws Exception {
        return WrappedPgBin.create(work.resolve("old-dumpall-bin"), "pg_dumpall", real -> List.of(
                "set -e",
                "for a in \"$@\"; do case \"$a\" in --dbname=*) conn=\"${a#--dbname=}\";; esac; done",
                "if [ -z \"${conn:-}\" ]; then exec '" + real + "' \"$@\"; fi",
                "'" + real + "' \"$@\"",
                "echo '--'; echo '-- Per-Database Role Settings '; echo '--'; echo",
                "'" + real.resolveSibling("psql") + "' -X -q -A -t -d \"$conn\" -c \"SELECT format('ALTER ROLE %I IN "
                        + "DATABASE %I SET %I TO %L;', r.rolname, d.datname, split_part(c, '=', 1), "
                        + "substr(c, strpos(c, '=') + 1)) FROM pg_db_role_setting s JOIN pg_authid r ON r.oid = "
                        + "s.setrole JOIN pg_database d ON d.oid = s.setdatabase, unnest(s.setconfig) c\"",
                "echo; echo '--'; echo '-- PostgreSQL database cluster dump complete'; echo '--'"));
    }

    private static String settingIn(EmbeddedServer server, String role, String db) throws Exception {
        return one(server, "postgres", "SELECT array_to_string(s.setconfig, ',') FROM pg_db_role_setting s "
                + "JOIN pg_roles r ON r.oid = s.setrole JOIN pg_database d ON d.oid = s.setdatabase "
                + "WHERE r.rolname = " + FullMigrationIT.lit(role) + " AND d.datname = " + FullMigrationIT.lit(db));
    }

    private static String summary(Migration migration) throws Exception {
        Path summary = migration.migrateState().resolve("summary.json");
        return Files.exists(summary) ? Files.readString(summary) : "no summary";
    }

    private static String q(String identifier) {
        return Identifiers.quote(identifier);
    }

    /**
     * A source before 16 has no INHERIT or SET option on a grant: its member inherits as its INHERIT attribute says,
     * and may always SET ROLE. A 16+ target gives a grant that names no options exactly that (INHERIT from the
     * member's attribute, SET true), so 12 -> 17 verifies equal; a SET FALSE on the target is then a difference.
     */
    @Test
    void membershipOptionsFromBefore16AreWhatTheMembersInheritAttributeGave() throws Exception {
        String db = "grantopt_db";
        exec(source, "postgres", "CREATE DATABASE " + db, "CREATE ROLE \"go grp\"",
                "CREATE ROLE \"go app\" NOINHERIT", "CREATE ROLE \"go adm\"",
                "GRANT \"go grp\" TO \"go app\"", "GRANT \"go grp\" TO \"go adm\" WITH ADMIN OPTION");
        try {
            assertThat(new Migration(source, target, work).with("--include-db", db).run())
                    .as("the migration, verified at its end").isEqualTo(0);
            assertThat(one(target, "postgres", "SELECT string_agg(r.rolname || ':' || m.admin_option || ','"
                    + " || m.inherit_option || ',' || m.set_option, ' ' ORDER BY r.rolname) FROM pg_auth_members m"
                    + " JOIN pg_roles r ON r.oid = m.member WHERE r.rolname LIKE 'go %'"))
                    .isEqualTo("go adm:true,true,true go app:false,false,true");
            assertThat(membershipDifferences(source, target, "go ")).isEmpty();

            exec(target, "postgres", "GRANT \"go grp\" TO \"go app\" WITH SET FALSE");
            assertThat(membershipDifferences(source, target, "go ")).containsExactly("\"go app\" in \"go grp\"");
        } finally {
            dropRoles(List.of(source, target), "go app", "go adm", "go grp");
            exec(source, "postgres", "DROP DATABASE " + db);
        }
    }

    /**
     * Both sides 16+ (17 -> 18; client tools 15 cannot dump a 17 source, so both get what pg_dumpall 17 writes and
     * a faithful replay makes): a grant's INHERIT, SET and ADMIN options and its grantor are compared grant by grant.
     */
    @Test
    void membershipGrantsFrom16OnAreComparedWithTheirOptionsAndGrantor() throws Exception {
        EmbeddedServer from = TestServers.get(TestServers.TARGET_17);
        EmbeddedServer to = TestServers.get(TestServers.TARGET_18);
        String[] roles = {"CREATE ROLE \"gg grp\"", "CREATE ROLE \"gg app\"", "CREATE ROLE \"gg mgr\"",
                "GRANT \"gg grp\" TO \"gg mgr\" WITH ADMIN TRUE",
                "GRANT \"gg grp\" TO \"gg app\" WITH INHERIT FALSE, SET FALSE"};
        try {
            exec(from, "postgres", roles);
            exec(to, "postgres", roles);
            assertThat(membershipDifferences(from, to, "gg ")).isEmpty();

            exec(to, "postgres", "GRANT \"gg grp\" TO \"gg app\" WITH INHERIT TRUE");
            assertThat(membershipDifferences(from, to, "gg ")).containsExactly("\"gg app\" in \"gg grp\"");

            exec(to, "postgres", "GRANT \"gg grp\" TO \"gg app\" WITH INHERIT FALSE");
            assertThat(membershipDifferences(from, to, "gg ")).isEmpty();
            exec(to, "postgres", "GRANT \"gg grp\" TO \"gg app\" WITH INHERIT FALSE, SET FALSE GRANTED BY \"gg mgr\"");
            assertThat(membershipDifferences(from, to, "gg ")).as("a second grant, by another grantor")
                    .containsExactly("\"gg app\" in \"gg grp\"");
        } finally {
            dropRoles(List.of(from, to), "gg app", "gg mgr", "gg grp");
        }
    }

    /** The memberships verify finds different among the roles whose names start with {@code prefix}. */
    private static List<String> membershipDifferences(EmbeddedServer from, EmbeddedServer to, String prefix)
            throws Exception {
        VerificationReport report = VerificationRun.run(from.endpoint("source"), to.endpoint("target"), List.of(),
                RowCheck.NONE, 1, true, Map.of());
        return report.globals().stream().filter(d -> d.name().startsWith("\"" + prefix))
                .peek(d -> assertThat(d.kind()).as(d.toString()).isEqualTo("membership"))
                .map(Difference::name).toList();
    }

    private static void dropRoles(List<EmbeddedServer> servers, String... roles) throws Exception {
        for (EmbeddedServer server : servers) {
            for (String role : roles) {
                exec(server, "postgres", "DROP ROLE IF EXISTS \"" + role + "\"");
            }
        }
    }
}
