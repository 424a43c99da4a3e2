package io.pgmigrate.it;

import static io.pgmigrate.it.DelayedTablesIT.exec;
import static io.pgmigrate.it.FullMigrationIT.counts;
import static io.pgmigrate.it.FullMigrationIT.one;
import static io.pgmigrate.it.StreamModeIT.migrateWhileWriting;
import static io.pgmigrate.it.StreamModeIT.toolLog;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgmigrate.embedded.EmbeddedServer;
import io.pgmigrate.testbed.Migration;
import io.pgmigrate.testbed.TestServers;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Big tables without an integer key: copied in ctid block ranges from a source with TID range scans (14+), the
 * snapshot's rows exactly, however the source moves rows meanwhile; copied whole from an older source.
 */
class StreamBlockRangesIT {
    /** No key at all, and a name that needs quoting. */
    private static final String NO_KEY = "\"Sales\".\"Big \"\"Log\"\" 1\"";
    /** A key, but not an integer one. */
    private static final String UUID_KEY = "\"Sales\".\"keyed\"";
    private static final int ROWS = 200_000;

    @TempDir
    Path work;

    private final EmbeddedServer target = TestServers.get(TestServers.TARGET_17);

    @Test
    void tablesWithoutAnIntegerKeyArriveExactlyInBlockRangesWhileTheSourceMovesRows() throws Exception {
        EmbeddedServer source = TestServers.get(TestServers.SOURCE_14);
        String db = "stm_ctid";
        createTables(source, db);
        List<String> writes = new ArrayList<>();
        for (String table : List.of(NO_KEY, UUID_KEY)) {
            // new rows, and old ones moved to other blocks: neither may show up in the copy
            writes.add("INSERT INTO " + table + " (v) SELECT 'late' FROM generate_series(1, 50)");
            writes.add("UPDATE " + table + " SET v = 'moved' WHERE n IN (SELECT 1 + (random() * " + ROWS
                    + ")::bigint FROM generate_series(1, 50))");
        }
        // each table (about 30 MB) in ranges of 4 MB, by two workers at once
        JsonNode sourceCounts = migrateWhileWriting(source, target, work, db, writes,
                "--table-jobs", "2", "--split-tables-larger-than", "8MB");
        String log = toolLog(work.resolve("pg_migrate_state"));
        for (String table : List.of(NO_KEY, UUID_KEY)) {
            long copied = Long.parseLong(one(target, db, "SELECT count(*)::text FROM " + table));
            assertThat(copied).as(table).isEqualTo(sourceCounts.get(table).asLong()).isGreaterThanOrEqualTo(ROWS);
            assertThat(Long.parseLong(one(source, db, "SELECT count(*)::text FROM " + table)))
                    .as("rows written after the snapshot").isGreaterThan(copied);
            // one committed prefix of the inserts, each row once: no range missed or read a row twice
            assertThat(one(target, db, "SELECT (max(n) = count(*) AND count(DISTINCT n) = count(*))::text FROM "
                    + table)).as(table).isEqualTo("true");
            assertThat(log).contains("copied " + table + " part 1/");
        }
        assertThat(log).contains("2 of them in ");
        // what makes ranges worth it: each reads its own blocks only
        assertThat(one(source, db, "EXPLAIN SELECT * FROM ONLY " + NO_KEY
                + " WHERE ctid >= '(10,0)'::tid AND ctid < '(20,0)'::tid")).contains("Tid Range Scan");
    }

    @Test
    void aSourceWithoutTidRangeScansCopiesSuchTablesWhole() throws Exception {
        EmbeddedServer source = TestServers.get(TestServers.SOURCE_12);
        String db = "stm_ctid_12";
        createTables(source, db);
        Migration migration = new Migration(source, target, work).with("--include-db", db, "--mode", "stream",
                "--table-jobs", "2", "--split-tables-larger-than", "8MB");
        assertThat(migration.run()).isEqualTo(0);
        assertThat(counts(target, db)).isEqualTo(counts(source, db));
        String log = toolLog(migration.migrateState());
        assertThat(log).contains("copied " + NO_KEY + ": " + ROWS + " rows", "copied " + UUID_KEY + ": " + ROWS + " rows")
                .doesNotContain(" part 1/");
    }

    /** Two tables of about 30 MB with no integer key, each row numbered by n; some rows already moved. */
    private static void createTables(EmbeddedServer source, String db) throws SQLException {
        exec(source, "postgres", "CREATE DATABASE " + db);
        exec(source, db,
                "CREATE SCHEMA \"Sales\"",
                "CREATE TABLE " + NO_KEY + " (n bigserial, v text NOT NULL)",
                "CREATE TABLE " + UUID_KEY + " (id uuid PRIMARY KEY DEFAULT md5(random()::text || clock_timestamp())"
                        + "::uuid, n bigserial, v text NOT NULL)",
                "INSERT INTO " + NO_KEY + " (v) SELECT repeat('v', 100) FROM generate_series(1, " + ROWS + ")",
                "INSERT INTO " + UUID_KEY + " (v) SELECT repeat('v', 100) FROM generate_series(1, " + ROWS + ")",
                "CREATE INDEX ON " + NO_KEY + " (n)",
                "CREATE INDEX ON " + UUID_KEY + " (n)",
                "UPDATE " + NO_KEY + " SET v = 'early' WHERE n % 10 = 0",
                "UPDATE " + UUID_KEY + " SET v = 'early' WHERE n % 10 = 0",
                "ANALYZE");
    }
}
