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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A database whose restore reports errors fails, visibly; the others go on; --fast-verify works. In both modes: each
 * restores through pg_restore (dump mode the whole archive, stream mode the schema's sections).
 */
class RestoreErrorsIT {
    @TempDir
    Path work;

    @ParameterizedTest(name = "{0} mode")
    @ValueSource(strings = {"dump", "stream"})
    void aRestoreErrorFailsItsDatabaseOnlyAndTheSummaryShowsIt(String mode) throws Exception {
        EmbeddedServer source = TestServers.get(TestServers.SOURCE_12);
        EmbeddedServer target = TestServers.get(TestServers.TARGET_17);
        String badDb = "rerr_" + mode + "_bad";
        String goodDb = "rerr_" + mode + "_good";
        exec(source, "postgres", "CREATE DATABASE " + badDb, "CREATE DATABASE " + goodDb);
        // 14 made array_append(anycompatiblearray, anycompatible): the aggregate's state function is gone there
        exec(source, badDb, "CREATE TABLE t (id int)", "INSERT INTO t VALUES (1)",
                "CREATE AGGREGATE accum(anyelement) (sfunc = array_append, stype = anyarray, initcond = '{}')");
        exec(source, goodDb, "CREATE TABLE t (id int)", "INSERT INTO t SELECT generate_series(1, 50)");

        // the aggregate cannot be created on the 17 target: pg_restore reports an error
        Migration migration = new Migration(source, target, work).with("--include-db", "rerr_" + mode + "_*",
                "--mode", mode);
        assertThat(migration.run()).isEqualTo(6);
        JsonNode summary = new ObjectMapper().readTree(migration.migrateState().resolve("summary.json").toFile());
        JsonNode bad = null;
        JsonNode good = null;
        for (JsonNode db : summary.get("databases")) {
            if (db.get("name").asText().equals(badDb)) {
                bad = db;
            } else {
                good = db;
            }
        }
        assertThat(bad.get("status").asText()).isEqualTo("failed");
        assertThat(bad.get("errors").toString()).contains("array_append").contains("pg_restore reported");
        assertThat(good.get("status").asText()).isEqualTo("done");
        assertThat(counts(target, goodDb)).isEqualTo(counts(source, goodDb));
        // the pre-data restore is where the aggregate fails: the run stops there, before any data
        Path log = migration.migrateState().resolve("logs/" + StateNames.fileSafe(badDb) + ".pg_restore.pre-data.log");
        assertThat(Files.readString(log)).contains("array_append");
        assertThat(migration.migrateState().resolve(badDb + ".done")).doesNotExist();

        // left out of the next run, the failed database stays on the target as it is: the run says so
        Migration without = new Migration(source, target, work).with("--include-db", "rerr_" + mode + "_*",
                "--exclude-db", badDb, "--mode", mode);
        assertThat(without.run()).isZero();
        summary = new ObjectMapper().readTree(without.migrateState().resolve("summary.json").toFile());
        List<String> notes = new ArrayList<>();
        summary.get("notes").forEach(n -> notes.add(n.asText()));
        assertThat(notes).anyMatch(n -> n.startsWith("target database \"" + badDb + "\" is INCOMPLETE"));
    }

    @ParameterizedTest(name = "{0} mode")
    @ValueSource(strings = {"dump", "stream"})
    void fastVerifyComparesEstimatesAndStillCountsDelayedTablesExactly(String mode) throws Exception {
        EmbeddedServer source = TestServers.get(TestServers.SOURCE_12);
        EmbeddedServer target = TestServers.get(TestServers.TARGET_17);
        String db = "rfast_" + mode + "_db";
        exec(source, "postgres", "CREATE DATABASE " + db);
        exec(source, db, "CREATE TABLE small (id int)", "INSERT INTO small SELECT generate_series(1, 30)",
                "CREATE TABLE big (id int PRIMARY KEY, v text)", "CREATE INDEX big_v ON big (v)",
                "INSERT INTO big SELECT g, 'v' || g FROM generate_series(1, 1000) g", "ANALYZE");
        Migration migration = new Migration(source, target, work).with("--include-db", db, "--fast-verify",
                "--delay-table-data", db + ".big", "--mode", mode);
        assertThat(migration.run()).isEqualTo(0);
        Path verify = migration.verifyState();
        assertThat(verify.resolve(db + ".src_counts.fast.json")).exists();
        assertThat(verify.resolve(db + ".src_counts.json")).doesNotExist();
        assertThat(Files.readString(verify.resolve(db + ".dst_counts.delayed.fast.json")))
                .contains("\"\\\"public\\\".\\\"big\\\"\" : 1000");
        assertThat(counts(target, db)).isEqualTo(counts(source, db));
    }
}
