package io.pgmigrate.it;

import static io.pgmigrate.it.DelayedTablesIT.exec;
import static io.pgmigrate.it.FullMigrationIT.one;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgmigrate.embedded.EmbeddedServer;
import io.pgmigrate.testbed.CuttingProxy;
import io.pgmigrate.testbed.Migration;
import io.pgmigrate.testbed.TestServers;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast-load settings are applied one ALTER SYSTEM at a time: a failure after the first has already written to
 * the target's postgresql.auto.conf, where the next reload (or restart) would turn it on. Here the connection that
 * applies them breaks as the second ALTER SYSTEM is sent (a proxy in front of the target cuts it): the run fails,
 * and what it did write is reverted before it exits, through a new connection.
 */
class BrokenTuningIT {
    @TempDir
    Path work;

    @Test
    void aConnectionBrokenBetweenTwoAlterSystemsLeavesNothingApplied() throws Exception {
        EmbeddedServer source = TestServers.get(TestServers.SOURCE_12);
        // a database to migrate (patterns that match none stop the run before the settings)
        exec(source, "postgres", "DROP DATABASE IF EXISTS broken_tuning_db", "CREATE DATABASE broken_tuning_db");
        try (EmbeddedServer target = TestServers.fresh(TestServers.TARGET_17);
             CuttingProxy proxy = new CuttingProxy(target.host(), target.port(), "ALTER SYSTEM SET", 2)) {
            Migration migration = new Migration(source, target, work).targetPort(proxy.port())
                    .with("--include-db", "broken_tuning_*");

            assertThat(migration.run()).as("a connection error").isEqualTo(4);

            assertThat(proxy.cut()).as("the proxy broke the connection applying the settings").isTrue();
            assertThat(one(target, "postgres", "SELECT count(*)::text FROM pg_file_settings "
                    + "WHERE sourcefile LIKE '%postgresql.auto.conf'")).as("settings left in postgresql.auto.conf")
                    .isEqualTo("0");
            assertThat(migration.migrateState().resolve("target_settings.json")).doesNotExist();
        } finally {
            exec(source, "postgres", "DROP DATABASE broken_tuning_db");
        }
    }
}
