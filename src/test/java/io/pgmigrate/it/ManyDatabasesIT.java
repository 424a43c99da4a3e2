package io.pgmigrate.it;

import static io.pgmigrate.it.DelayedTablesIT.exec;
import static io.pgmigrate.it.FullMigrationIT.one;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgmigrate.embedded.EmbeddedServer;
import io.pgmigrate.testbed.Migration;
import io.pgmigrate.testbed.TestServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server of many small databases (one per tenant): what the run does once per database must stay once per
 * database, and what it can do once per server must not be done once per database. Counted in the servers' own logs
 * (log_connections), not timed.
 */
class ManyDatabasesIT {
    private static final int DATABASES = 30;
    private static final Pattern LOGIN = Pattern.compile(
            "connection authorized: user=\\S+ database=(\\S+)( application_name=\\S+)?");

    private static EmbeddedServer source;
    private static EmbeddedServer target;

    @TempDir
    Path work;

    @BeforeAll
    static void servers() throws SQLException {
        source = TestServers.fresh(TestServers.SOURCE_12, Map.of("log_connections", "on"));
        target = TestServers.fresh(TestServers.TARGET_17, Map.of("log_connections", "on"));
        exec(source, "postgres", "CREATE DATABASE tenant_template");
        exec(source, "tenant_template",
                "CREATE TABLE customers (id bigserial PRIMARY KEY, name text NOT NULL)",
                "CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint REFERENCES customers (id), total int)",
                "CREATE INDEX orders_customer ON orders (customer_id)",
                "INSERT INTO customers (name) SELECT 'c' || g FROM generate_series(1, 20) g",
                "INSERT INTO orders (customer_id, total) SELECT 1 + g % 20, g FROM generate_series(1, 50) g");
        List<String> creates = new ArrayList<>();
        for (int i = 1; i <= DATABASES; i++) {
            creates.add("CREATE DATABASE " + tenant(i) + " TEMPLATE tenant_template");
        }
        exec(source, "postgres", creates.toArray(String[]::new));
    }

    @AfterAll
    static void stop() {
        if (source != null) {
            source.close();
        }
        if (target != null) {
            target.close();
        }
    }

    /**
     * The checks before any change read each database once: one login into each, not one per check (there were
     * three: extensions, operator families, the lock table). The run stops at the last check, on a target database it
     * did not create, so what is counted is the checks alone.
     */
    @Test
    void theChecksLogIntoEachSourceDatabaseOnce() throws Exception {
        // a target database this run did not create (the other test's migration leaves them all)
        boolean made = "0".equals(one(target, "postgres", "SELECT count(*) FROM pg_database WHERE datname = '"
                + tenant(DATABASES) + "'"));
        if (made) {
            exec(target, "postgres", "CREATE DATABASE " + tenant(DATABASES));
        }
        try {
            long mark = Files.size(source.logFile());
            int exit = new Migration(source, target, work).with("--include-db", "tenant_0*").run();
            assertThat(exit).isEqualTo(3);
            Map<String, Integer> logins = logins(source, mark, "tenant_0");
            assertThat(logins).hasSize(DATABASES);
            assertThat(logins.values()).containsOnly(1);
        } finally {
            if (made) {
                exec(target, "postgres", "DROP DATABASE " + tenant(DATABASES));
            }
        }
    }

    /**
     * Each database's properties are read in the maintenance databases, after its migration and again by the
     * verification, and applied there: over one connection on each server for the whole run, not a login each time;
     * its disabled subscriptions are looked up in the database itself. On the target, each database still gets a
     * login there for its CREATE DATABASE. Nor does a log line grow with the databases: the one of the databases to
     * migrate named every one (a thousand databases, one enormous line); it counts them and names the first few, and
     * the log file has every one, at debug level.
     */
    @Test
    void theMaintenanceDatabasesSeeAFewLoginsNotSomePerDatabase() throws Exception {
        long sourceMark = Files.size(source.logFile());
        long targetMark = Files.size(target.logFile());
        Migration migration = new Migration(source, target, work).with("--include-db", "tenant_0*");
        assertThat(migration.run()).isEqualTo(0);
        assertThat(logins(source, sourceMark, "postgres").getOrDefault("postgres", 0)).isLessThan(DATABASES / 2);
        // CREATE DATABASE, once each, and the run's own few (settings, globals, checks)
        assertThat(logins(target, targetMark, "postgres").getOrDefault("postgres", 0)).isLessThan(2 * DATABASES);

        List<String> log;
        try (var files = Files.list(migration.migrateState().resolve("logs"))) {
            log = Files.readAllLines(files.filter(f -> f.getFileName().toString().startsWith("pg-migrate-"))
                    .findFirst().orElseThrow());
        }
        assertThat(log).filteredOn(l -> l.contains(" INFO ") && l.contains("database(s) to migrate")).singleElement()
                .asString().matches(".* - " + DATABASES + " database\\(s\\) to migrate, largest first: "
                        + "(\"tenant_\\d{4}\", ){4}\"tenant_\\d{4}\" and " + (DATABASES - 5)
                        + " more \\(every one in the run's log file\\)");
        String every = log.stream().filter(l -> l.contains(" DEBUG ") && l.contains("the database(s) to migrate"))
                .findFirst().orElseThrow();
        for (int i = 1; i <= DATABASES; i++) {
            assertThat(every).contains("\"" + tenant(i) + "\"");
        }
    }

    private static String tenant(int i) {
        return String.format("tenant_%04d", i);
    }

    /**
     * The tool's own logins into each database named {@code prefix}..., since {@code mark}: pgjdbc's, which set
     * application_name after the login, not in it as pg_dump and pg_restore do.
     */
    static Map<String, Integer> logins(EmbeddedServer server, long mark, String prefix) throws IOException {
        byte[] log = Files.readAllBytes(server.logFile());
        String since = new String(log, (int) mark, log.length - (int) mark, StandardCharsets.UTF_8);
        Map<String, Integer> out = new TreeMap<>();
        Matcher m = LOGIN.matcher(since);
        while (m.find()) {
            if (m.group(1).startsWith(prefix) && m.group(2) == null) {
                out.merge(m.group(1), 1, Integer::sum);
            }
        }
        return out;
    }
}
