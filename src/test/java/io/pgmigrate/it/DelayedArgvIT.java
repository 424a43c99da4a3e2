package io.pgmigrate.it;

import static io.pgmigrate.it.DelayedTablesIT.exec;
import static io.pgmigrate.it.StreamModeIT.longName;
import static io.pgmigrate.testbed.Fixture.q;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgmigrate.embedded.EmbeddedServer;
import io.pgmigrate.testbed.Launcher;
import io.pgmigrate.testbed.Migration;
import io.pgmigrate.testbed.TestServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * --delay-table-data patterns matching hundreds of tables: pg_dump is given the patterns, not one argument a table
 * (one --exclude-table-data each in dump mode's dump, one --table each in the delayed dump of both modes outgrew the
 * kernel's limit for a program's arguments: "Argument list too long"). The delayed tables stay exactly those the
 * patterns name, odd names among them, and no table merely resembling a pattern changes phase.
 */
class DelayedArgvIT {
    @TempDir
    Path work;

    /** Odd names the test's patterns delay. */
    private static final List<String> DELAYED = List.of("public.\"ünïcode\"", "\"Odd Schema\".\"ünïcode\"",
            "\"Odd Schema\".\"we\"\"ird.name 1\"", "\"Odd Schema\".\"we\"\"ird.n\"", "public.\"a+b_1\"",
            "public.\"x[0-9]tail\"", "public.\"cost$1\"", "sales.\"Q?\"");
    /** Names that merely resemble the patterns: their data comes in the regular phase. */
    private static final List<String> REGULAR = List.of("public.\"Ünïcode\"", "\"Odd Schema\".\"we\"\"irdXname\"",
            "public.\"aab_1\"", "public.x5", "public.\"x[0-9\"", "public.cost1", "\"Sales\".\"Q?\"",
            "sales.\"Qx\"", "\"Tenant_Caps\".t", "tenantx.t", "public.keep");

    private final EmbeddedServer source = TestServers.get(TestServers.SOURCE_12);
    private final EmbeddedServer target = TestServers.get(TestServers.TARGET_17);

    /** Tables of the tenants' schemas, all delayed by {@code tenant_*.*}: 300 of the longest names. */
    private static final int SCHEMAS = 3;
    private static final int TABLES_PER_SCHEMA = 100;

    /**
     * Under a 256 kB stack limit, Linux leaves a program 128 kB for its arguments and environment; with 96 kB of
     * environment, which the tool's children inherit, 300 delayed tables of 63-byte names (about 150 bytes an
     * argument) were enough to fail the run. Every table arrives with its rows, the delayed ones after all of the
     * others (their rows' transaction ids are all later), and every sequence with its value, those the patterns also
     * match among them (dump mode sets those itself).
     */
    @ParameterizedTest(name = "{0} mode")
    @ValueSource(strings = {"dump", "stream"})
    void hundredsOfDelayedTablesAreDumpedWithACommandLineOfThePatternsSize(String mode) throws Exception {
        String db = "dly_argv";
        createDatabase(db);
        exec(target, "postgres", "DROP DATABASE IF EXISTS " + db);
        List<String> args = new ArrayList<>(List.of("--include-db", db, "--mode", mode,
                "--delay-table-data", db + ".tenant_*.*",
                "--delay-table-data", db + ".ünï*",
                "--delay-table-data", db + ".\"Odd Schema\".\"we\"\"ird.n\"*",
                "--delay-table-data", db + ".public.a+b*",
                "--delay-table-data", db + ".public.x[0-9]t*",
                "--delay-table-data", db + ".public.cost$?",
                "--delay-table-data", db + ".Sales.\"Q?\""));
        args.addAll(Launcher.SMALL_KNOBS);
        try (Launcher run = Launcher.migrateWithStackLimit(work.resolve("home"), source, target, 256 * 1024,
                Map.of("FILLER", "f".repeat(96 * 1024)), args)) {
            assertThat(run.waitFor(Duration.ofMinutes(3))).as(run.outputTail()).isZero();
        }

        Map<String, long[]> rows = rows(target, db);
        Map<String, long[]> sourceRows = rows(source, db);
        assertThat(rows.keySet()).isEqualTo(sourceRows.keySet());
        sourceRows.forEach((table, r) -> assertThat(rows.get(table)[0]).as(table).isEqualTo(r[0]));
        TreeSet<String> delayedKeys = new TreeSet<>();
        for (String table : rows.keySet()) {
            if (table.startsWith("tenant_")) {
                delayedKeys.add(table);
            }
        }
        assertThat(delayedKeys).hasSize(SCHEMAS * TABLES_PER_SCHEMA);
        for (String table : DELAYED) {
            delayedKeys.add(key(target, db, table));
        }
        long lastRegular = rows.entrySet().stream().filter(e -> !delayedKeys.contains(e.getKey()))
                .mapToLong(e -> e.getValue()[2]).max().orElseThrow();
        long firstDelayed = rows.entrySet().stream().filter(e -> delayedKeys.contains(e.getKey()))
                .mapToLong(e -> e.getValue()[1]).min().orElseThrow();
        assertThat(firstDelayed).as("the delayed tables' rows come after every other table's").isGreaterThan(lastRegular);
        for (String table : REGULAR) {
            String key = key(target, db, table);
            assertThat(rows.get(key)[2]).as(key + " arrived in the regular phase").isLessThan(firstDelayed);
        }
        Map<String, String> sequences = sequences(target, db);
        Map<String, String> sourceSequences = sequences(source, db);
        assertThat(sequences.keySet()).isEqualTo(sourceSequences.keySet());
        assertThat(sourceSequences.keySet().stream().filter(k -> !sequences.get(k).equals(sourceSequences.get(k)))
                .map(k -> k + ": " + sequences.get(k) + " instead of " + sourceSequences.get(k)).limit(5))
                .as("sequence values").isEmpty();
    }

    /**
     * A materialized view the pattern also matches: pg_dump given the pattern would leave out its data too (no REFRESH),
     * so dump mode names each delayed table, and the view is refreshed in the regular phase as before.
     */
    @Test
    void aMaterializedViewThePatternAlsoMatchesIsStillRefreshed() throws Exception {
        String db = "dly_argv_matview";
        exec(source, "postgres", "CREATE DATABASE " + db);
        exec(source, db, "CREATE TABLE report_rows (id int PRIMARY KEY, v text)",
                "INSERT INTO report_rows SELECT g, 'v' || g FROM generate_series(1, 50) g",
                "CREATE TABLE kept (id int)", "INSERT INTO kept SELECT generate_series(1, 50)",
                "CREATE MATERIALIZED VIEW report_total AS SELECT count(*) AS n FROM kept");
        Migration migration = new Migration(source, target, work).with("--include-db", db, "--mode", "dump",
                "--delay-table-data", db + ".report_*");
        assertThat(migration.run()).isEqualTo(0);
        assertThat(FullMigrationIT.one(target, db, "SELECT n::text FROM report_total")).isEqualTo("50");
        assertThat(FullMigrationIT.counts(target, db)).isEqualTo(FullMigrationIT.counts(source, db));
    }

    private static boolean created;

    /** The source database, shared by both modes (each migrates it to a target database of its own). */
    private synchronized void createDatabase(String db) throws SQLException {
        if (created) {
            return;
        }
        exec(source, "postgres", "CREATE DATABASE " + q(db) + " TEMPLATE template0 ENCODING 'UTF8'");
        List<String> setup = new ArrayList<>();
        for (int i = 0; i < SCHEMAS; i++) {
            String schema = q(longName("tenant_" + i));
            StringBuilder sql = new StringBuilder("CREATE SCHEMA " + schema + ";");
            for (int j = 0; j < TABLES_PER_SCHEMA; j++) {
                String table = schema + "." + q(longName("table_" + j));
                // the first tenant's with a sequence each, which the pattern matches too
                sql.append("CREATE TABLE ").append(table).append(i == 0 ? " (id serial, v text);" : " (id int, v text);")
                        .append("INSERT INTO ").append(table).append(" (v) SELECT 'x' FROM generate_series(1, ")
                        .append(j % 3 + 1).append(");");
            }
            setup.add(sql.toString());
        }
        setup.add("CREATE SCHEMA \"Odd Schema\"; CREATE SCHEMA sales; CREATE SCHEMA \"Sales\"; "
                + "CREATE SCHEMA \"Tenant_Caps\"; CREATE SCHEMA tenantx");
        for (String table : Stream.concat(DELAYED.stream(), REGULAR.stream()).toList()) {
            setup.add("CREATE TABLE " + table + " (id int PRIMARY KEY, v text); CREATE INDEX ON " + table + " (v); "
                    + "INSERT INTO " + table + " SELECT g, 'v' || g FROM generate_series(1, 5) g");
        }
        setup.add("CREATE SEQUENCE not_called; SELECT setval('not_called', 42, false)");
        exec(source, db, setup.toArray(String[]::new));

        created = true;
    }

    /** Every table: its row count and the least and greatest transaction id that wrote its rows, in one query. */
    private static Map<String, long[]> rows(EmbeddedServer server, String db) throws SQLException {
        Map<String, long[]> out = new TreeMap<>();
        String sql = """
                SELECT format('%I.%I', schemaname, tablename), x[1]::text::bigint, x[2]::text::bigint, x[3]::text::bigint
                  FROM pg_tables,
                       LATERAL (SELECT xpath('/row/*/text()', query_to_xml(format(
                           'SELECT count(*) AS n, min(xmin::text::bigint) AS lo, max(xmin::text::bigint) AS hi '
                           || 'FROM ONLY %I.%I', schemaname, tablename), false, true, ''))) AS r(x)
                 WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
                """;
        try (Connection c = server.connect(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)});
            }
        }
        return out;
    }

    /** Every sequence's value. */
    private static Map<String, String> sequences(EmbeddedServer server, String db) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = server.connect(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT format('%I.%I', schemaname, sequencename), coalesce(last_value::text, 'not called') "
                        + "FROM pg_sequences")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    /** The key (format('%I.%I')) of a table written as SQL. */
    private static String key(EmbeddedServer server, String db, String table) throws SQLException {
        return FullMigrationIT.one(server, db, "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = " + FullMigrationIT.lit(table)
                + "::regclass");
    }
}
