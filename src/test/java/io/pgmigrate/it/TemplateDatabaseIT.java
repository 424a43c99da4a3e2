package io.pgmigrate.it;

import static io.pgmigrate.it.DelayedTablesIT.exec;
import static io.pgmigrate.it.FullMigrationIT.counts;
import static io.pgmigrate.it.FullMigrationIT.one;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgmigrate.embedded.EmbeddedServer;
import io.pgmigrate.testbed.Migration;
import io.pgmigrate.testbed.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user database marked IS_TEMPLATE is a user database like any other: migrated, verified, and marked a template on
 * the target too (pg_dumpall dumps it as well). template1 is not migrated (the target has its own), but user
 * relations in it are named in a warning, as they are in the maintenance database.
 */
class TemplateDatabaseIT {
    @TempDir
    Path work;

    private final EmbeddedServer source = TestServers.get(TestServers.SOURCE_12);
    private final EmbeddedServer target = TestServers.get(TestServers.TARGET_17);

    @Test
    void aTemplateDatabaseIsMigratedAndStaysATemplate() throws Exception {
        String db = "tmpl \"Ünï\"";
        String quoted = "\"tmpl \"\"Ünï\"\"\"";
        exec(source, "postgres", "CREATE DATABASE " + quoted);
        exec(source, db, "CREATE TABLE \"Base Rows\" (id int PRIMARY KEY, v text)",
                "INSERT INTO \"Base Rows\" SELECT g, 'v' || g FROM generate_series(1, 500) g");
        exec(source, "postgres", "ALTER DATABASE " + quoted + " IS_TEMPLATE true");
        exec(source, "template1", "CREATE TABLE pgm_template1_leftover (id int)");
        try {
            Migration migration = new Migration(source, target, work).with("--include-db", db);
            assertThat(migration.run()).isEqualTo(0);

            assertThat(one(target, "postgres", "SELECT datistemplate::text FROM pg_database WHERE datname = '"
                    + db.replace("'", "''") + "'")).isEqualTo("true");
            assertThat(counts(target, db)).isEqualTo(counts(source, db)).containsEntry("public.\"Base Rows\"", 500L);
            assertThat(Files.readString(migration.migrateState().resolve("summary.json")))
                    .contains("the source's template1 holds 1 user relation(s) that will NOT be migrated");
        } finally {
            exec(source, "template1", "DROP TABLE pgm_template1_leftover");
            for (EmbeddedServer server : new EmbeddedServer[] {source, target}) {
                if (!"0".equals(one(server, "postgres", "SELECT count(*)::text FROM pg_database WHERE datname = '"
                        + db.replace("'", "''") + "'"))) {
                    exec(server, "postgres", "ALTER DATABASE " + quoted + " IS_TEMPLATE false",
                            "DROP DATABASE " + quoted);
                }
            }
        }
    }
}
