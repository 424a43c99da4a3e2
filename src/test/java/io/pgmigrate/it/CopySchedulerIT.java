package io.pgmigrate.it;

import static io.pgmigrate.it.DelayedTablesIT.exec;
import static io.pgmigrate.it.FullMigrationIT.counts;
import static io.pgmigrate.it.FullMigrationIT.one;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgmigrate.embedded.EmbeddedServer;
import io.pgmigrate.stream.CopyJournal;
import io.pgmigrate.testbed.Migration;
import io.pgmigrate.testbed.TestServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stream mode's one copy queue for the whole server: {@code --table-jobs} bounds the copies of every database
 * together, {@code --index-jobs} their index builds, and a copy that fails fails its own database only.
 */
class CopySchedulerIT {
    @TempDir
    Path work;

    private final EmbeddedServer source = TestServers.get(TestServers.SOURCE_12);
    private final EmbeddedServer target = TestServers.get(TestServers.TARGET_17);

    /** A database with a table of each row count (about 130 bytes a row). */
    private static void createTables(EmbeddedServer server, String db, int... rows) throws SQLException {
        exec(server, "postgres", "CREATE DATABASE " + db);
        List<String> setup = new ArrayList<>();
        for (int i = 1; i <= rows.length; i++) {
            setup.add("CREATE TABLE t" + i + " (id int PRIMARY KEY, v text NOT NULL)");
            setup.add("INSERT INTO t" + i + " SELECT g, repeat(md5(g::text), 3) FROM generate_series(1, "
                    + rows[i - 1] + ") g");
        }
        exec(server, db, setup.toArray(String[]::new));
    }

    /** No session of the tool stays on the target databases once the run is over (a backend ends soon after). */
    private void assertNoSessionsLeft(String pattern) throws Exception {
        String sql = "SELECT count(*)::text FROM pg_stat_activity WHERE application_name = 'pg-migrate' "
                + "AND datname LIKE '" + pattern + "'";
        for (int i = 0; i < 50 && !"0".equals(one(target, "postgres", sql)); i++) {
            Thread.sleep(100);
        }
        assertThat(one(target, "postgres", sql)).as("sessions left open").isEqualTo("0");
    }

    private static final String COPIES = "query ILIKE 'COPY %FROM STDIN%'";
    /** What the index builders run: builds, constraints attached, VACUUM/ANALYZE, foreign keys. */
    private static final String INDEX_WORK = "(query ILIKE 'CREATE %INDEX%' "
            + "OR query ILIKE 'ALTER TABLE ONLY % ADD %' OR query ILIKE 'VACUUM%' OR query ILIKE 'ANALYZE%')";

    /** The sessions seen when the peak was reached: "database: statement". */
    private volatile List<String> peakSessions = List.of();

    /**
     * Runs the migration while sampling the target's sessions in {@code databases} whose statement matches
     * {@code statements}: the most seen at once go to {@code peak}, and those sessions to {@link #peakSessions}.
     */
    private int migrateSampling(Migration migration, List<String> databases, String statements, AtomicInteger peak)
            throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> sampleErrors = new ArrayList<>();
        // client backends only: a parallel index build's workers show their leader's statement
        String sql = "SELECT datname || ': ' || query FROM pg_stat_activity WHERE application_name = 'pg-migrate' "
                + "AND backend_type = 'client backend' AND state = 'active' AND " + statements + " AND datname IN ('"
                + String.join("', '", databases) + "')";
        Thread sampler = new Thread(() -> {
            try (Connection c = target.connect("postgres"); Statement st = c.createStatement()) {
                while (!stop.get()) {
                    List<String> now = new ArrayList<>();
                    try (ResultSet rs = st.executeQuery(sql)) {
                        while (rs.next()) {
                            now.add(rs.getString(1));
                        }
                    }
                    if (now.size() > peak.get()) {
                        peak.set(now.size());
                        peakSessions = now;
                    }
                    Thread.sleep(5);
                }
            } catch (SQLException | InterruptedException | RuntimeException e) {
                sampleErrors.add(e);
            }
        }, "session-sampler");
        sampler.start();
        try {
            return migration.run();
        } finally {
            stop.set(true);
            sampler.join();
            assertThat(sampleErrors).isEmpty();
        }
    }

    @Test
    void tableJobsBoundTheCopiesOfEveryDatabaseTogether() throws Exception {
        List<String> dbs = List.of("sched_one", "sched_two");
        // tables from 8 MB up are taken largest first whatever their database, so whichever database hands its
        // tables in first, the other's big ones start while one of its own is still being copied (one's 40 MB
        // outlasts its 10 MB, two's 26 MB and 20 MB outlast each other's start); the small ones follow. (Each
        // database keeps more than 8 MB queued until its last big table is taken: one with less is served first.)
        createTables(source, "sched_one", 300_000, 80_000, 5000, 5000, 5000, 5000);
        createTables(source, "sched_two", 200_000, 150_000, 5000, 5000, 5000, 5000);
        AtomicInteger peak = new AtomicInteger();
        Migration migration = new Migration(source, target, work).with("--include-db", "sched_*", "--mode", "stream",
                "--table-jobs", "2", "--restore-parallel", "2", "--log-level", "debug");
        assertThat(migrateSampling(migration, dbs, COPIES, peak)).isEqualTo(0);

        // per database, as before, this would have been up to 2 × 2
        assertThat(peak.get()).as("COPY FROM STDIN at once on the target: %s", peakSessions).isBetween(1, 2);
        // whether both databases were copying at the same moment depends on when each hands its tables in (on a
        // fast machine one may be done before the other starts): the bound above is what holds either way
        for (String db : dbs) {
            assertThat(counts(target, db)).isEqualTo(counts(source, db));
        }
        assertNoSessionsLeft("sched\\_%");
    }

    /**
     * Two databases of tables with four secondary indexes each: each database's builder alone would run 2 at once
     * (--restore-jobs 2), both together 4; --index-jobs 1 lets one run at a time across the server.
     */
    @Test
    void indexJobsBoundTheIndexBuildsOfEveryDatabaseTogether() throws Exception {
        List<String> dbs = List.of("idxjobs_one", "idxjobs_two");
        for (String db : dbs) {
            createTables(source, db, 120_000, 120_000, 120_000);
            for (int t = 1; t <= 3; t++) {
                exec(source, db, "CREATE INDEX ON t" + t + " (v)", "CREATE INDEX ON t" + t + " (md5(v))",
                        "CREATE INDEX ON t" + t + " (v, id)", "CREATE UNIQUE INDEX ON t" + t + " (id, v)");
            }
        }
        AtomicInteger peak = new AtomicInteger();
        Migration migration = new Migration(source, target, work).with("--include-db", "idxjobs_*", "--mode",
                "stream", "--table-jobs", "2", "--restore-parallel", "2", "--index-jobs", "1"); // and --restore-jobs 2
        assertThat(migrateSampling(migration, dbs, INDEX_WORK, peak)).isEqualTo(0);

        assertThat(peak.get()).as("index builds and table finishes at once on the target: %s", peakSessions)
                .isEqualTo(1);
        for (String db : dbs) {
            assertThat(counts(target, db)).isEqualTo(counts(source, db));
            assertThat(one(target, db, "SELECT count(*)::text FROM pg_indexes WHERE schemaname = 'public'"))
                    .isEqualTo("15");
        }
        assertNoSessionsLeft("idxjobs\\_%");
    }

    /**
     * A table whose CHECK constraint calls a function redefined after its rows were written: its rows load on no
     * server (pg_restore fails the same way). The copy fails, that database fails, its other tables are not copied,
     * and the other database migrates and verifies.
     */
    @Test
    void aFailedCopyFailsOnlyItsDatabase() throws Exception {
        createTables(source, "schedf_good", 30_000, 30_000, 30_000, 30_000, 30_000, 30_000);
        createTables(source, "schedf_bad", 30_000, 30_000, 30_000, 30_000, 30_000, 30_000, 30_000, 30_000, 30_000,
                30_000, 30_000, 30_000);
        exec(source, "schedf_bad",
                "CREATE FUNCTION small(v int) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT true'",
                "CREATE TABLE picky (id int PRIMARY KEY, v int NOT NULL CHECK (small(v)), pad text NOT NULL)",
                "INSERT INTO picky SELECT g, 1000, repeat(md5(g::text), 4) FROM generate_series(1, 60000) g",
                "CREATE OR REPLACE FUNCTION small(v int) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT v < 10'");
        Migration migration = new Migration(source, target, work).with("--include-db", "schedf_*", "--mode",
                "stream", "--table-jobs", "2", "--restore-parallel", "2");
        assertThat(migration.run()).isEqualTo(6);

        JsonNode summary = new ObjectMapper().readTree(migration.migrateState().resolve("summary.json").toFile());
        Map<String, JsonNode> byName = new HashMap<>();
        summary.get("databases").forEach(d -> byName.put(d.get("name").asText(), d));
        assertThat(byName.get("schedf_bad").get("status").asText()).isEqualTo("failed");
        assertThat(byName.get("schedf_bad").get("errors").toString()).contains("picky")
                .contains("violates check constraint");
        assertThat(byName.get("schedf_good").get("status").asText()).isEqualTo("done");
        assertThat(counts(target, "schedf_good")).isEqualTo(counts(source, "schedf_good"));
        // picky, the largest, is its database's first copy: once it failed, the rest of its tables were dropped (the
        // other worker copies some while picky's rows stream in)
        assertThat(new CopyJournal(migration.migrateState().resolve("schedf_bad.copied")).read()).hasSizeLessThan(12);
        assertThat(one(target, "schedf_bad", "SELECT count(*)::text FROM picky")).isEqualTo("0");
        assertNoSessionsLeft("schedf\\_%");
    }
}
