package io.pgmigrate.it;

import static io.pgmigrate.it.DelayedTablesIT.constraints;
import static io.pgmigrate.it.DelayedTablesIT.exec;
import static io.pgmigrate.it.DelayedTablesIT.indexDefinitions;
import static io.pgmigrate.it.FullMigrationIT.counts;
import static io.pgmigrate.it.FullMigrationIT.one;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgmigrate.embedded.EmbeddedServer;
import io.pgmigrate.state.StateNames;
import io.pgmigrate.stream.CopyJournal;
import io.pgmigrate.testbed.Launcher;
import io.pgmigrate.testbed.Migration;
import io.pgmigrate.testbed.TestExtension;
import io.pgmigrate.testbed.TestServers;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Stream mode's own promises: the snapshot is what is copied, and a killed copy resumes table by table. */
class StreamModeIT {
    @TempDir
    Path work;

    private final EmbeddedServer source = TestServers.get(TestServers.SOURCE_12);
    private final EmbeddedServer target = TestServers.get(TestServers.TARGET_17);

    @Test
    void rowsWrittenOnTheSourceDuringTheCopyAreNotCopiedAndASplitTableArrivesWhole() throws Exception {
        String db = "stm_live";
        exec(source, "postgres", "CREATE DATABASE " + db);
        exec(source, db,
                "CREATE TABLE big (id bigserial PRIMARY KEY, v text NOT NULL)",
                "INSERT INTO big (v) SELECT repeat('v', 100) FROM generate_series(1, 200000)",
                "CREATE TABLE side (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())");
        // big (about 30 MB) is copied in key ranges by two workers at once
        JsonNode sourceCounts = migrateWhileWriting(source, target, work, db, List.of(
                "INSERT INTO big (v) SELECT 'late' FROM generate_series(1, 50)", "INSERT INTO side DEFAULT VALUES"),
                "--table-jobs", "2", "--split-tables-larger-than", "8MB");
        long copied = Long.parseLong(one(target, db, "SELECT count(*)::text FROM big"));
        assertThat(copied).isEqualTo(sourceCounts.get("\"public\".\"big\"").asLong());
        long onSource = Long.parseLong(one(source, db, "SELECT count(*)::text FROM big"));
        assertThat(onSource).as("rows written after the snapshot").isGreaterThan(copied);
        // one committed prefix of the writer's inserts: no gap, no duplicate, nothing after the snapshot
        assertThat(one(target, db, "SELECT (max(id) = count(*) AND count(DISTINCT id) = count(*))::text FROM big"))
                .isEqualTo("true");
        assertThat(toolLog(work.resolve("pg_migrate_state"))).contains("copied \"public\".\"big\" part 1/");
        // sequences are not transactional: pg_dump reads their value when it gets to them, never behind the rows
        assertThat(Long.parseLong(one(target, db, "SELECT last_value::text FROM big_id_seq")))
                .isGreaterThanOrEqualTo(copied);
    }

    /**
     * KILL, with the big table copied whole: nothing of the tool runs after it (the next run reverts the target
     * settings), and the next run copies only the tables not copied yet. TERM, with the big table copied in key
     * ranges: the tool aborts its copies, reverts the settings and exits 143; the next run empties the table and
     * copies all its ranges again. The same with a table without a primary key, from a source that copies it in
     * block (ctid) ranges. Every time the table verifies exactly.
     */
    @ParameterizedTest(name = "SIG{0} from {1}, id {2}")
    @CsvSource({"KILL, " + TestServers.SOURCE_12 + ", PRIMARY KEY", "TERM, " + TestServers.SOURCE_12 + ", PRIMARY KEY",
            "TERM, " + TestServers.SOURCE_14 + ", UNIQUE"})
    void stoppedDuringABigTableCopyThenResumedVerifiesExactly(String signal, String version, String id)
            throws Exception {
        EmbeddedServer from = TestServers.get(version);
        String db = "stm_stop_" + signal.toLowerCase(java.util.Locale.ROOT) + (id.equals("UNIQUE") ? "_ctid" : "");
        exec(from, "postgres", "CREATE DATABASE " + db);
        List<String> setup = new ArrayList<>(List.of(
                "CREATE TABLE big (id bigint " + id + ", v text NOT NULL, at timestamptz NOT NULL)",
                "INSERT INTO big SELECT g, repeat(md5(g::text), 3), timestamptz '2026-01-01' + g * interval '1 s' "
                        + "FROM generate_series(1, 500000) g"));
        for (int i = 1; i <= 20; i++) {
            setup.add("CREATE TABLE small_" + i + " (id int PRIMARY KEY, v text)");
            setup.add("INSERT INTO small_" + i + " SELECT g, 'x' || g FROM generate_series(1, " + (100 * i) + ") g");
        }
        exec(from, db, setup.toArray(String[]::new));
        boolean split = signal.equals("TERM");
        // big is about 70 MB (55 rows a page): split at 40MB, it is copied in 4 ranges of 20 MB
        Migration migration = new Migration(from, target, work).with("--include-db", db, "--mode", "stream",
                "--table-jobs", "2", "--split-tables-larger-than", split ? "40MB" : "0");
        CopyJournal journal = new CopyJournal(migration.migrateState().resolve(StateNames.fileSafe(db) + ".copied"));

        Process child = startTool(migration.args());
        try {
            // wait until the big table's copy is well under way (whole: and the other worker has copied small ones)
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (true) {
                if (!child.isAlive()) {
                    throw new AssertionError("the tool ended (exit " + child.exitValue() + ") before the big table's "
                            + "copy was under way:\n" + Files.readString(work.resolve("child.stdout")) + "\n"
                            + Files.readString(work.resolve("child.stderr")));
                }
                assertThat(System.nanoTime()).as("the big table's copy started in time").isLessThan(deadline);
                // only the big table (or one of its ranges) has that many rows
                String progress = one(target, "postgres", "SELECT max(tuples_processed)::text "
                        + "FROM pg_stat_progress_copy WHERE datname = '" + db + "' AND command = 'COPY FROM'");
                if (progress != null && Long.parseLong(progress) > 30_000 && (split || !journal.read().isEmpty())) {
                    break;
                }
                Thread.sleep(50);
            }
            if (signal.equals("KILL")) {
                child.destroyForcibly();
            } else {
                child.destroy();
            }
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        if (signal.equals("TERM")) {
            assertThat(child.exitValue()).as(Files.readString(work.resolve("child.stderr"))).isEqualTo(143);
            assertThat(one(target, "postgres", "SHOW synchronous_commit")).isEqualTo("on");
            assertThat(migration.migrateState().resolve("target_settings.json")).doesNotExist();
            String sessions = "SELECT count(*)::text FROM pg_stat_activity WHERE datname = '" + db
                    + "' AND application_name = 'pg-migrate'";
            for (int i = 0; i < 50 && !"0".equals(one(target, "postgres", sessions)); i++) {
                Thread.sleep(100); // a backend ends once it sees its client gone
            }
            assertThat(one(target, "postgres", sessions)).as("sessions left by the stopped tool").isEqualTo("0");
        }
        if (split) {
            assertThat(Files.readString(work.resolve("child.stderr"))).as("the big table is copied in ranges")
                    .contains("1 of them in 4 ranges");
        } else {
            assertThat(journal.read()).as("tables copied before the kill").isNotEmpty();
        }
        assertThat(journal.read()).doesNotContain("\"public\".\"big\"");
        assertThat(migration.migrateState().resolve(StateNames.fileSafe(db) + ".done")).doesNotExist();
        int copiedBefore = journal.read().size();

        assertThat(migration.run()).isEqualTo(0);
        assertThat(counts(target, db)).isEqualTo(counts(from, db));
        assertThat(one(target, db, "SELECT (count(DISTINCT id) = 500000 AND count(*) = 500000)::text FROM big"))
                .isEqualTo("true");
        if (copiedBefore > 0) {
            JsonNode summary = new ObjectMapper().readTree(migration.migrateState().resolve("summary.json").toFile());
            assertThat(summary.get("databases").get(0).get("warnings").toString())
                    .contains(copiedBefore + " table(s) were copied by an earlier run");
        }
        assertThat(journal.file()).doesNotExist();
    }

    /**
     * SIGKILL during the copy, then the source's schema changes: a column added to a table not copied yet, a table
     * added. The schema the next run dumps is not the one the target got from the earlier run's pre-data restore:
     * it re-creates the database and starts again (it used to copy into the earlier schema, and fail on every run on
     * the column or table the target lacked).
     */
    @Test
    void aRunResumedAfterTheSourceSchemaChangedStartsTheDatabaseAgain() throws Exception {
        String db = "stm_schema_change";
        exec(source, "postgres", "CREATE DATABASE " + db);
        exec(source, db,
                "CREATE TABLE first (id int PRIMARY KEY, v text NOT NULL)",
                "INSERT INTO first SELECT g, repeat(md5(g::text), 4) FROM generate_series(1, 300000) g",
                "CREATE TABLE last (id int PRIMARY KEY)",
                "INSERT INTO last VALUES (1), (2)");
        List<String> args = new ArrayList<>(Launcher.SMALL_KNOBS);
        args.addAll(List.of("--include-db", db, "--mode", "stream", "--table-jobs", "1",
                "--split-tables-larger-than", "0"));
        Path state = work.resolve("pg_migrate_state");
        CopyJournal journal = new CopyJournal(state.resolve(db + ".copied"));
        try (Launcher first = Launcher.migrate(work, source, target, args)) {
            first.waitUntil(Duration.ofSeconds(60), "the pre-data section is restored",
                    () -> Files.exists(state.resolve(db + ".pre_data")));
            // the only worker copies the largest table first: "last" is held back until the tool is killed
            try (Connection lock = target.connect(db); Statement st = lock.createStatement()) {
                lock.setAutoCommit(false);
                st.execute("LOCK TABLE last IN ACCESS EXCLUSIVE MODE");
                first.waitUntil(Duration.ofSeconds(60), "\"first\" is copied and the copy of \"last\" waits",
                        () -> journal.read().contains("\"public\".\"first\"") && "1".equals(one(target, "postgres",
                                "SELECT count(*)::text FROM pg_stat_activity WHERE datname = '" + db
                                        + "' AND application_name = 'pg-migrate' AND wait_event_type = 'Lock'")));
                first.signal("KILL");
                assertThat(first.waitFor(Duration.ofSeconds(10))).isEqualTo(128 + 9);
            }
        }
        exec(source, db, "ALTER TABLE last ADD COLUMN added int NOT NULL DEFAULT 7",
                "CREATE TABLE later (id int PRIMARY KEY)", "INSERT INTO later VALUES (1)");

        try (Launcher second = Launcher.migrate(work, source, target, args)) {
            assertThat(second.waitFor(Duration.ofSeconds(120))).as(second.outputTail()).isZero();
            assertThat(second.stderr()).contains("the source's schema changed since an earlier run restored it")
                    .contains("re-created target database \"" + db + "\"");
        }
        assertThat(counts(target, db)).isEqualTo(counts(source, db)).containsEntry("public.later", 1L);
        assertThat(one(target, db, "SELECT string_agg(id || ':' || added, ',' ORDER BY id) FROM last"))
                .isEqualTo("1:7,2:7");
    }

    /**
     * Each table's indexes and PRIMARY KEY/UNIQUE constraints are built by the tool as its data lands, and left
     * out of the post-data restore; what pg_restore describes better (exclusion constraints, CLUSTER ON, REPLICA
     * IDENTITY, partitioned tables) is left to it. Either way the target has exactly the source's.
     */
    @Test
    void indexesAndConstraintsAreBuiltAsEachTableLands() throws Exception {
        String db = "stm_idx";
        exec(source, "postgres", "CREATE DATABASE " + db);
        exec(source, db,
                "CREATE SCHEMA \"Sales \"\"EU\"\"\"",
                "CREATE TABLE \"Sales \"\"EU\"\"\".\"Orders\" (id bigint PRIMARY KEY, code text NOT NULL, "
                        + "at timestamptz NOT NULL, amount numeric, "
                        + "CONSTRAINT \"one code\" UNIQUE (code) DEFERRABLE INITIALLY DEFERRED)",
                "INSERT INTO \"Sales \"\"EU\"\"\".\"Orders\" SELECT g, 'C' || g, timestamptz '2026-01-01' + "
                        + "g * interval '1 min', g / 7.0 FROM generate_series(1, 20000) g",
                "CREATE INDEX orders_at_idx ON \"Sales \"\"EU\"\"\".\"Orders\" (at) WHERE amount > 100",
                "CREATE INDEX \"Orders lower code\" ON \"Sales \"\"EU\"\"\".\"Orders\" (lower(code), at DESC)",
                "COMMENT ON INDEX \"Sales \"\"EU\"\"\".orders_at_idx IS 'big amounts'",
                "COMMENT ON CONSTRAINT \"one code\" ON \"Sales \"\"EU\"\"\".\"Orders\" IS 'codes are unique'",
                "CREATE TABLE lines (order_id bigint NOT NULL REFERENCES \"Sales \"\"EU\"\"\".\"Orders\", n int, "
                        + "PRIMARY KEY (order_id, n))",
                "INSERT INTO lines SELECT g, 1 FROM generate_series(1, 20000) g",
                "CREATE TABLE bookings (id int PRIMARY KEY, during int4range, EXCLUDE USING gist (during WITH &&))",
                "INSERT INTO bookings SELECT g, int4range(g * 10, g * 10 + 5) FROM generate_series(1, 1000) g",
                "CREATE TABLE clustered (id int PRIMARY KEY, k int NOT NULL UNIQUE)",
                "INSERT INTO clustered SELECT g, -g FROM generate_series(1, 1000) g",
                "ALTER TABLE clustered CLUSTER ON clustered_k_key",
                "ALTER TABLE clustered REPLICA IDENTITY USING INDEX clustered_pkey",
                "CREATE TABLE parted (id int, at date NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at)",
                "CREATE TABLE parted_2026 PARTITION OF parted FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
                "INSERT INTO parted SELECT g, date '2026-01-01' + g % 300 FROM generate_series(1, 1000) g");
        Migration migration = new Migration(source, target, work).with("--include-db", db, "--mode", "stream",
                "--log-level", "debug");
        assertThat(migration.run()).isEqualTo(0);

        assertThat(indexDefinitions(target, db)).isEqualTo(indexDefinitions(source, db));
        assertThat(constraints(target, db)).isEqualTo(constraints(source, db));
        String described = "SELECT obj_description('\"Sales \"\"EU\"\"\".orders_at_idx'::regclass, 'pg_class') "
                + "|| ' / ' || (SELECT obj_description(oid, 'pg_constraint') FROM pg_constraint "
                + "WHERE conname = 'one code')";
        assertThat(one(target, db, described)).isEqualTo("big amounts / codes are unique");
        String clusterAndIdentity = "SELECT (SELECT indexrelid::regclass::text FROM pg_index WHERE indisclustered) "
                + "|| ' ' || (SELECT indexrelid::regclass::text FROM pg_index WHERE indisreplident)";
        assertThat(one(target, db, clusterAndIdentity)).isEqualTo("clustered_k_key clustered_pkey");
        // the deferred unique constraint still defers, the foreign key still checks
        exec(target, db, "BEGIN; UPDATE \"Sales \"\"EU\"\"\".\"Orders\" SET code = 'C' || (id % 20000 + 1); "
                + "COMMIT");
        assertThat(one(target, db, "SELECT count(*)::text FROM lines l LEFT JOIN \"Sales \"\"EU\"\"\".\"Orders\" o "
                + "ON o.id = l.order_id WHERE o.id IS NULL")).isEqualTo("0");

        // built by the tool, not by pg_restore: the post-data list leaves them out, and keeps the others
        String list = Files.readString(migration.migrateState().resolve(db + ".pg_restore.post-data.list"));
        // (pg_restore --list writes names as they are, unquoted)
        assertThat(list).containsPattern("(?m)^;\\d+; 1259 \\d+ INDEX Sales \"EU\" orders_at_idx ")
                .containsPattern("(?m)^;\\d+; 1259 \\d+ INDEX Sales \"EU\" Orders lower code ")
                .containsPattern("(?m)^;\\d+; 2606 \\d+ CONSTRAINT Sales \"EU\" Orders Orders_pkey ")
                .containsPattern("(?m)^;\\d+; 2606 \\d+ CONSTRAINT Sales \"EU\" Orders one code ")
                .containsPattern("(?m)^;\\d+; 2606 \\d+ CONSTRAINT public lines lines_pkey ")
                .containsPattern("(?m)^\\d+; 2606 \\d+ CONSTRAINT public bookings bookings_during_excl ")
                .containsPattern("(?m)^\\d+; 2606 \\d+ CONSTRAINT public clustered clustered_k_key ")
                .containsPattern("(?m)^\\d+; 2606 \\d+ CONSTRAINT public parted parted_pkey ")
                .containsPattern("(?m)^;\\d+; 2606 \\d+ FK CONSTRAINT public lines lines_order_id_fkey ");
        assertThat(toolLog(migration.migrateState())).contains("built index orders_at_idx of ")
                .containsPattern("\\d+ index\\(es\\) built, 5 table\\(s\\) analyzed and 1 foreign key\\(s\\) added as "
                        + "their data landed")
                // no count(*) on the source for a table whose copy read it in the snapshot
                .contains("source counts of 5 table(s) taken from their copy");
        // analyzed as they landed: every copied table has statistics
        assertThat(one(target, db, "SELECT count(DISTINCT tablename)::text FROM pg_stats WHERE tablename IN "
                + "('Orders', 'lines', 'bookings', 'clustered', 'parted_2026')")).isEqualTo("5");
    }

    /**
     * Each VACUUM ends by reading the database's whole pg_class for its oldest unfrozen xid (before 15 it starts with
     * such a read too): one per table made finishing a database of many small tables quadratic (16,000 tables took
     * 12x as long as 4,000). On a 16+ target each table is vacuumed WITH SKIP_DATABASE_STATS and pg_class read for
     * that once, at the end; on 11 to 15 each table is analyzed at once and the small ones vacuumed many at a time.
     * Either way every table ends up vacuumed and analyzed. (Not necessarily all-visible: a table vacuumed while
     * another table's COPY into the same database is still open cannot mark rows that COPY's transaction may not
     * see as visible to all; aFrozenTableGetsItsVisibilityMapOnATargetBefore14 checks the map where it is certain.)
     */
    @ParameterizedTest(name = "to {0}")
    @CsvSource({TestServers.TARGET_17, TestServers.PG15, TestServers.SOURCE_14})
    void manySmallTablesAreVacuumedWithoutAScanOfPgClassEach(String version) throws Exception {
        EmbeddedServer to = TestServers.get(version);
        String db = "stm_many_" + version.replace('.', '_');
        int tables = 150; // vacuumed 64 at a time below 16: a few scans, where one a table made 150
        exec(source, "postgres", "CREATE DATABASE " + db);
        exec(source, db, IntStream.rangeClosed(1, tables)
                .mapToObj(i -> "CREATE TABLE t" + i + " (id int PRIMARY KEY); INSERT INTO t" + i + " VALUES (1)")
                .toArray(String[]::new));
        assertThat(new Migration(source, to, work).with("--include-db", db, "--mode", "stream").run())
                .isEqualTo(0);
        assertThat(counts(to, db)).isEqualTo(counts(source, db));
        Thread.sleep(1000); // the tool's sessions have ended: their statistics are in once their backends are gone
        long scans = Long.parseLong(one(to, db,
                "SELECT seq_scan::text FROM pg_stat_sys_tables WHERE relname = 'pg_class'"));
        assertThat(scans).as("sequential scans of pg_class in the migrated database").isLessThan(tables / 2);
        assertThat(one(to, db, "SELECT count(*)::text FROM pg_stat_user_tables "
                + "WHERE vacuum_count = 0 OR analyze_count = 0"))
                .as("tables not vacuumed or not analyzed").isEqualTo("0");
    }

    /**
     * The schema dump's command line does not grow with the number of tables: it was one --exclude-table-data each,
     * and about 13,000 tables of the longest names (45,000 of short ones) outgrew Linux's 2 MB for a program's
     * arguments, "Argument list too long". Under a 256 kB stack limit, which leaves 128 kB, 1,000 tables of long names migrate
     * through the launcher. What pg_dump's data section carried arrives all the same: the sequence values (called
     * and not, more than one batch of them), an extension's configuration rows (its condition applied) and sequence,
     * and the materialized views, one refreshed from the other.
     */
    @Test
    void theSchemaOfThousandsOfTablesIsDumpedWithACommandLineOfItsOwnSize() throws Exception {
        String db = "stm_argv";
        String ext = "stm_argv_config";
        try (TestExtension extension = TestExtension.install(ext, "relocatable = false\nschema = public\n", """
                CREATE TABLE settings (name text PRIMARY KEY, shipped bool NOT NULL DEFAULT false, v text);
                INSERT INTO settings VALUES ('shipped', true, 'by the extension');
                SELECT pg_catalog.pg_extension_config_dump('settings', 'WHERE NOT shipped');
                CREATE SEQUENCE settings_seq;
                SELECT pg_catalog.pg_extension_config_dump('settings_seq', '');
                """, List.of(source, target), db)) {
            // the last table has 100 rows, and its sequence's name is cut to fit
            String tenantTable = "\"" + longName("tenant_9") + "\".\"" + longName("table_99") + "\"";
            String tenantSequence = "\"" + longName("tenant_9") + "\".\"" + longName("table_99").substring(0, 56)
                    + "_id_seq\"";
            exec(source, "postgres", "CREATE DATABASE " + db);
            List<String> setup = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String schema = longName("tenant_" + i);
                StringBuilder sql = new StringBuilder("CREATE SCHEMA \"" + schema + "\";");
                for (int j = 0; j < 100; j++) {
                    String table = "\"" + schema + "\".\"" + longName("table_" + j) + "\"";
                    sql.append("CREATE TABLE ").append(table).append(" (id serial PRIMARY KEY, v text);")
                            .append("INSERT INTO ").append(table).append(" (v) SELECT 'x' FROM generate_series(1, ")
                            .append(j + 1).append(");");
                }
                setup.add(sql.toString());
            }
            setup.addAll(List.of("CREATE EXTENSION " + ext,
                    "INSERT INTO settings VALUES ('mine', false, 'by the user')",
                    "SELECT setval('settings_seq', 77)",
                    "CREATE SEQUENCE not_called",
                    "SELECT setval('not_called', 42, false)",
                    "CREATE MATERIALIZED VIEW counted AS SELECT count(*) AS n FROM " + tenantTable,
                    "CREATE MATERIALIZED VIEW doubled AS SELECT n * 2 AS n2 FROM counted"));
            exec(source, db, setup.toArray(String[]::new));

            try (Launcher run = Launcher.migrateWithStackLimit(work.resolve("home"), source, target, 256 * 1024,
                    concat(List.of("--include-db", db), Launcher.SMALL_KNOBS))) {
                assertThat(run.waitFor(Duration.ofMinutes(3))).as(run.outputTail()).isZero();
            }
            assertThat(counts(target, db)).isEqualTo(counts(source, db));
            assertThat(one(target, db, "SELECT last_value || ' ' || is_called FROM " + tenantSequence))
                    .isEqualTo("100 true");
            assertThat(one(target, db, "SELECT nextval('not_called')::text")).isEqualTo("42");
            assertThat(one(target, db, "SELECT string_agg(name || ': ' || v, ', ' ORDER BY name) FROM settings"))
                    .isEqualTo("mine: by the user, shipped: by the extension");
            assertThat(one(target, db, "SELECT last_value || ' ' || is_called FROM settings_seq")).isEqualTo("77 true");
            assertThat(one(target, db, "SELECT n2::text FROM doubled")).isEqualTo("200");
        }
    }

    /** A name of the longest PostgreSQL keeps, 63 bytes, starting with {@code start}. */
    static String longName(String start) {
        return (start + "_" + "n".repeat(63)).substring(0, 63);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /**
     * A table of 8 MB or more is copied WITH (FREEZE) and needs no vacuum for its rows; from 14 on the copy also sets
     * its visibility map, before 14 it does not: there it is vacuumed too, or index-only scans would read its heap
     * until autovacuum came by.
     */
    @Test
    void aFrozenTableGetsItsVisibilityMapOnATargetBefore14() throws Exception {
        EmbeddedServer from = TestServers.get(TestServers.SOURCE_96);
        EmbeddedServer to = TestServers.get(TestServers.SOURCE_12);
        String db = "stm_frozen_vm";
        exec(from, "postgres", "CREATE DATABASE " + db);
        exec(from, db, "CREATE TABLE big (id int PRIMARY KEY, v text NOT NULL)",
                "INSERT INTO big SELECT g, repeat(md5(g::text), 2) FROM generate_series(1, 120000) g");
        assertThat(new Migration(from, to, work).with("--include-db", db, "--mode", "stream").run()).isEqualTo(0);
        assertThat(toolLog(work.resolve("pg_migrate_state"))).as("the table is frozen as it is copied")
                .containsPattern("copied \"public\"\\.\"big\": 120000 rows, .*, frozen\\)");
        assertThat(one(to, db, "SELECT (relallvisible = relpages AND relpages > 1000)::text FROM pg_class "
                + "WHERE relname = 'big'")).as("every page of the frozen table all-visible").isEqualTo("true");
    }

    @Test
    void delayedTablesInStreamModeArriveLastWithTheirIndexesAndForeignKeys() throws Exception {
        String db = "stmd_analytics";
        DelayedTablesIT.createEventsDatabase(source, db, 20_000);
        Migration migration = new Migration(source, target, work).with("--include-db", db, "--mode", "stream",
                "--delay-table-data", db + ".events");
        assertThat(migration.run()).isEqualTo(0);
        assertThat(counts(target, db)).isEqualTo(counts(source, db));
        assertThat(indexDefinitions(target, db)).isEqualTo(indexDefinitions(source, db));
        assertThat(constraints(target, db)).isEqualTo(constraints(source, db));
        assertThat(migration.verifyState().resolve(db + ".delayed_verify")).exists();
        // no trigger fired during the copy or the load; the trigger and the sequence work now
        assertThat(one(target, db, "SELECT sum(n)::text FROM event_counts")).isEqualTo("20000");
        exec(target, db, "INSERT INTO events (customer_id, kind) VALUES (7, 'view')");
        assertThat(one(target, db, "SELECT max(id)::text FROM events")).isEqualTo("20001");
        assertThat(one(target, db, "SELECT sum(n)::text FROM event_counts")).isEqualTo("20001");
    }

    @Test
    void awkwardColumnsArriveExactlyInTextAndBinary() throws Exception {
        String db = "stm_types";
        exec(source, "postgres", "CREATE DATABASE " + db);
        exec(source, db,
                "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
                "CREATE DOMAIN positive AS int CHECK (VALUE > 0)",
                // built-in types only: copied in binary
                "CREATE TABLE builtin (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, n numeric, f float8, "
                        + "ts timestamptz, d date, iv interval, j jsonb, a int[], t text[], b bytea, u uuid, "
                        + "ip inet, bits varbit, r int4range, x xml, doomed text)",
                "ALTER TABLE builtin DROP COLUMN doomed",
                "INSERT INTO builtin (n, f, ts, d, iv, j, a, t, b, u, ip, bits, r, x) SELECT g * 1.5, g / 3.0, "
                        + "timestamptz '2026-01-01 00:00+02' + g * interval '1 h', date '2000-02-29' + g, "
                        + "g * interval '1 min', jsonb_build_object('k', g, 'v', array[g, -g]), array[g, NULL], "
                        + "array['a' || g, NULL, 'é\t\\'], decode(md5(g::text), 'hex'), md5(g::text)::uuid, "
                        + "'10.0.0.1'::inet + g, B'1011', int4range(g, g + 10), ('<a>' || g || '</a>')::xml "
                        + "FROM generate_series(1, 3000) g",
                "INSERT INTO builtin (n, f) VALUES ('NaN', 'Infinity'), (NULL, NULL)",
                // user types, a reg* type, a generated column: copied in text, generated column computed
                "CREATE TABLE custom (id int PRIMARY KEY, m mood, ms mood[], p positive, rc regclass, "
                        + "twice int GENERATED ALWAYS AS (id * 2) STORED)",
                "INSERT INTO custom (id, m, ms, p, rc) SELECT g, (array['sad','ok','happy'])[1 + g % 3]::mood, "
                        + "array['ok','happy']::mood[], g, 'builtin'::regclass FROM generate_series(1, 500) g",
                "CREATE TABLE nocols ()",
                "INSERT INTO nocols SELECT FROM generate_series(1, 7)",
                "CREATE UNLOGGED TABLE scratch (k text)",
                "INSERT INTO scratch VALUES ('a'), ('b')",
                "CREATE MATERIALIZED VIEW moods AS SELECT m, count(*) AS n FROM custom GROUP BY m",
                "SELECT lo_from_bytea(424242, 'large object bytes')");
        Migration migration = new Migration(source, target, work).with("--include-db", db, "--mode", "stream");
        assertThat(migration.run()).isEqualTo(0);
        assertThat(counts(target, db)).isEqualTo(counts(source, db));
        for (String table : List.of("builtin", "custom", "moods", "scratch")) {
            String sql = "SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM " + table + " t";
            assertThat(one(target, db, sql)).as(table).isEqualTo(one(source, db, sql));
        }
        assertThat(one(target, db, "SELECT count(*)::text FROM nocols")).isEqualTo("7");
        assertThat(one(target, db, "SELECT encode(lo_get(424242), 'escape')")).isEqualTo("large object bytes");
        // the identity continues after the copied rows
        exec(target, db, "INSERT INTO builtin (n) VALUES (1)");
        assertThat(one(target, db, "SELECT max(id)::text FROM builtin")).isEqualTo("3003");
        assertThat(toolLog(migration.migrateState())).containsPattern("copied \"public\"\\.\"builtin\": 3002 rows, .* \\(binary")
                .containsPattern("copied \"public\"\\.\"custom\": 500 rows, .* \\(text");
    }

    /**
     * Migrates {@code db} in stream mode while a source session runs {@code writes} over and over; returns the
     * source's counts, read in the snapshot. The final verification compares with the live source, which kept
     * writing: it reports the sequences it moved on, nothing else (the rows are checked against those counts).
     */
    static JsonNode migrateWhileWriting(EmbeddedServer source, EmbeddedServer target, Path work, String db,
                                        List<String> writes, String... options) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong loops = new AtomicLong();
        Thread writer = new Thread(() -> {
            try (Connection c = source.connect(db); Statement st = c.createStatement()) {
                while (!stop.get()) {
                    for (String sql : writes) {
                        st.execute(sql);
                    }
                    loops.incrementAndGet();
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, "source-writer");
        writer.start();
        int code;
        try {
            Thread.sleep(200);
            code = new Migration(source, target, work).with("--include-db", db, "--mode", "stream").with(options)
                    .run();
        } finally {
            stop.set(true);
            writer.join();
        }
        assertThat(loops.get()).as("writes during the run").isGreaterThan(0);
        assertThat(code).isEqualTo(7);
        JsonNode verification = new ObjectMapper().readTree(
                work.resolve("pg_migrate_state").resolve("verification.json").toFile());
        List<String> kinds = new ArrayList<>();
        verification.get("databases").forEach(d -> d.get("differences").forEach(x -> kinds.add(x.get("kind").asText())));
        assertThat(kinds).isNotEmpty().containsOnly("sequence value");
        return new ObjectMapper().readTree(work.resolve("pg_verify_state").resolve(db + ".src_counts.json").toFile());
    }

    /** The run's own log file (debug level). */
    static String toolLog(Path migrateState) throws java.io.IOException {
        try (var files = Files.list(migrateState.resolve("logs"))) {
            return Files.readString(files.filter(p -> p.getFileName().toString().startsWith("pg-migrate-"))
                    .findFirst().orElseThrow());
        }
    }

    /** The packaged tool in a JVM of its own, so it can be SIGKILLed. */
    private Process startTool(List<String> args) throws Exception {
        String jar = System.getProperty("pgmigrate.jar");
        assertThat(jar).as("the pgmigrate.jar system property (set by failsafe)").isNotNull();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:+UseSerialGC", "-jar", jar));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(work.resolve("child.stdout").toFile())
                .redirectError(work.resolve("child.stderr").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
        Files.createDirectories(work);
        return builder.start();
    }
}
