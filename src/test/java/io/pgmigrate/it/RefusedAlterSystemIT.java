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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A target that refuses ALTER SYSTEM to its superuser (PostgreSQL 17+ with allow_alter_system = off, as some
 * managed services and Kubernetes operators run it): the run goes on with session-level settings, leaves no record
 * of settings to revert, and changes nothing in postgresql.auto.conf.
 */
class RefusedAlterSystemIT {
    @TempDir
    Path work;

    @Test
    void aTargetRefusingAlterSystemIsMigratedWithSessionSettings() throws Exception {
        EmbeddedServer source = TestServers.get(TestServers.SOURCE_12);
        try (EmbeddedServer target = TestServers.fresh(TestServers.TARGET_17, Map.of("allow_alter_system", "off"))) {
            String db = "no_alter_system";
            exec(source, "postgres", "DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db);
            exec(source, db, "CREATE TABLE t (id int PRIMARY KEY, v text)",
                    "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 20000) g",
                    "CREATE INDEX ON t (v)");
            for (String mode : new String[] {"stream", "dump"}) {
                exec(target, "postgres", "DROP DATABASE IF EXISTS " + db);
                Migration migration = new Migration(source, target, work.resolve(mode)).with("--include-db", db,
                        "--mode", mode);
                assertThat(migration.run()).as(mode).isEqualTo(0);

                assertThat(counts(target, db)).as(mode).isEqualTo(counts(source, db));
                assertThat(migration.migrateState().resolve("target_settings.json")).as(mode).doesNotExist();
                assertThat(one(target, "postgres", "SELECT count(*)::text FROM pg_file_settings "
                        + "WHERE sourcefile LIKE '%postgresql.auto.conf'")).as(mode).isEqualTo("0");
                String log;
                try (var files = Files.list(migration.migrateState().resolve("logs"))) {
                    log = Files.readString(files.filter(p -> p.getFileName().toString().startsWith("pg-migrate-"))
                            .findFirst().orElseThrow());
                }
                assertThat(log).as(mode).contains("the target refused ALTER SYSTEM")
                        .contains("session-level settings only");
            }
        }
    }
}
