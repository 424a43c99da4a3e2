package io.pgmigrate.it;

import static io.pgmigrate.it.DelayedTablesIT.exec;
import static io.pgmigrate.it.FullMigrationIT.one;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgmigrate.embedded.EmbeddedServer;
import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.testbed.Migration;
import io.pgmigrate.testbed.TestServers;
import io.pgmigrate.testbed.WrappedPgBin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
            for (EmbeddedServer server : new EmbeddedServer[] {source, target}) {
                exec(server, "postgres", "DROP ROLE IF EXISTS \"gb app\"", "DROP ROLE IF EXISTS \"gb grp\"",
                        "DROP ROLE IF EXISTS \"gb mgr\"");
            }
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
}
