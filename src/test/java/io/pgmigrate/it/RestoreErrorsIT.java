package io.pgmigrate.it;

import static io.pgmigrate.it.DelayedTablesIT.exec;
import static io.pgmigrate.it.FullMigrationIT.counts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgmigrate.embedded.EmbeddedServer;
import io.pgmigrate.state.StateNames;
import io.pgmigrate.testbed.Migration;
import io.pgmigrate.testbed.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database whose restore reports errors fails, visibly; the others go on; --fast-verify works. */
class RestoreErrorsIT {
    @TempDir
    Path work;

    @Test
    void aRestoreErrorFailsItsDatabaseOnlyAndTheSummaryShowsIt() throws Exception {
        EmbeddedServer source = TestServers.get(TestServers.SOURCE_12);
        EmbeddedServer target = TestServers.get(TestServers.TARGET_17);
        exec(source, "postgres", "CREATE ROLE rerr_only_on_source NOLOGIN", "CREATE DATABASE rerr_bad",
                "CREATE DATABASE rerr_good");
        exec(source, "rerr_bad", "CREATE TABLE t (id int)", "INSERT INTO t VALUES (1)",
                "GRANT SELECT ON t TO rerr_only_on_source");
        exec(source, "rerr_good", "CREATE TABLE t (id int)", "INSERT INTO t SELECT generate_series(1, 50)");

        // without the global objects, the grant's role is missing on the target: pg_restore reports an error
        Migration migration = new Migration(source, target, work).with("--include-db", "rerr_*",
                "--migrate-globals=false");
        assertThat(migration.run()).isEqualTo(6);
        JsonNode summary = new ObjectMapper().readTree(migration.migrateState().resolve("summary.json").toFile());
        JsonNode bad = null;
        JsonNode good = null;
        for (JsonNode db : summary.get("databases")) {
            if (db.get("name").asText().equals("rerr_bad")) {
                bad = db;
            } else {
                good = db;
            }
        }
        assertThat(bad.get("status").asText()).isEqualTo("failed");
        assertThat(bad.get("errors").toString()).contains("rerr_only_on_source").contains("pg_restore reported");
        assertThat(good.get("status").asText()).isEqualTo("done");
        assertThat(counts(target, "rerr_good")).isEqualTo(counts(source, "rerr_good"));
        Path log = migration.migrateState().resolve("logs/" + StateNames.fileSafe("rerr_bad") + ".pg_restore.log");
        assertThat(Files.readString(log)).contains("rerr_only_on_source");
        assertThat(migration.migrateState().resolve("rerr_bad.done")).doesNotExist();
    }

    @Test
    void fastVerifyComparesEstimatesAndStillCountsDelayedTablesExactly() throws Exception {
        EmbeddedServer source = TestServers.get(TestServers.SOURCE_12);
        EmbeddedServer target = TestServers.get(TestServers.TARGET_17);
        exec(source, "postgres", "CREATE DATABASE rfast_db");
        exec(source, "rfast_db", "CREATE TABLE small (id int)", "INSERT INTO small SELECT generate_series(1, 30)",
                "CREATE TABLE big (id int PRIMARY KEY, v text)", "CREATE INDEX big_v ON big (v)",
                "INSERT INTO big SELECT g, 'v' || g FROM generate_series(1, 1000) g", "ANALYZE");
        Migration migration = new Migration(source, target, work).with("--include-db", "rfast_*", "--fast-verify",
                "--delay-table-data", "rfast_db.big");
        assertThat(migration.run()).isEqualTo(0);
        Path verify = migration.verifyState();
        assertThat(verify.resolve("rfast_db.src_counts.fast.json")).exists();
        assertThat(verify.resolve("rfast_db.src_counts.json")).doesNotExist();
        assertThat(Files.readString(verify.resolve("rfast_db.dst_counts.delayed.fast.json")))
                .contains("\"\\\"public\\\".\\\"big\\\"\" : 1000");
        assertThat(counts(target, "rfast_db")).isEqualTo(counts(source, "rfast_db"));
    }
}
