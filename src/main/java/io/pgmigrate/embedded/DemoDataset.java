package io.pgmigrate.embedded;

import io.pgmigrate.MigrationException;
import io.pgmigrate.postgres.Identifiers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo dataset: a few roles and five databases with the things a migration must get right (foreign keys,
 * triggers, sequences, a partitioned table, views, grants, default privileges, database and role settings, one
 * bigger table, and a database whose every name needs quoting). Loads in a few seconds into a fresh server of
 * version 9.6 or later. The SQL lives in {@code src/main/resources/demo/*.sql}; row counts are deterministic.
 */
public final class DemoDataset {
    private static final Logger log = LoggerFactory.getLogger(DemoDataset.class);

    public static final String SHOP = "shop";
    public static final String ANALYTICS = "analytics";
    public static final String UNICODE_DB = "Ünïcode \"Quoted\" DB";
    public static final String UNICODE_SCHEMA = "Mixed Schema";
    public static final String UNICODE_TABLE = "Tab.le \"X\" é";
    public static final String TINY_A = "tiny_a";
    public static final String TINY_B = "tiny_b";

    public static final String APP_OWNER = "app_owner";
    public static final String APP_OWNER_PASSWORD = "app-owner-demo";
    public static final String APP_READER = "app_reader";
    public static final String APP_READER_PASSWORD = "app-reader-demo";
    public static final String READERS = "readers";
    public static final String REPORTING = "reporting";

    /** Rows of shop's big table {@code events}. */
    public static final int EVENTS_ROWS = 300_000;

    private record Database(String name, String owner, String script) {
    }

    private static final List<Database> DATABASES = List.of(
            new Database(SHOP, APP_OWNER, "shop.sql"),
            new Database(ANALYTICS, APP_OWNER, "analytics.sql"),
            new Database(UNICODE_DB, APP_OWNER, "unicode.sql"),
            new Database(TINY_A, APP_OWNER, "tiny_a.sql"),
            new Database(TINY_B, "postgres", "tiny_b.sql"));

    private DemoDataset() {
    }

    /** The names of the databases {@link #load} creates. */
    public static List<String> databases() {
        return DATABASES.stream().map(Database::name).toList();
    }

    /** The roles {@link #load} creates. */
    public static List<String> roles() {
        return List.of(APP_OWNER, READERS, APP_READER, REPORTING);
    }

    /** Creates the roles and databases of the demo on a fresh server (none of them may exist yet). */
    public static void load(EmbeddedServer source) {
        long started = System.nanoTime();
        try (Connection postgres = source.connect("postgres")) {
            postgres.setAutoCommit(true);
            requireFresh(postgres, source);
            run(postgres, "roles.sql");
            for (Database database : DATABASES) {
                try (Statement statement = postgres.createStatement()) {
                    statement.execute("CREATE DATABASE " + Identifiers.quote(database.name()) + " OWNER "
                            + Identifiers.quote(database.owner()));
                }
            }
        } catch (SQLException e) {
            throw MigrationException.environment("could not create the demo roles and databases on " + source
                    + ": " + e.getMessage(), e);
        }
        for (Database database : DATABASES) {
            long loading = System.nanoTime();
            String script = ANALYTICS.equals(database.name()) && source.serverVersionNum() < 100000
                    ? "analytics-9.6.sql" : database.script();
            try (Connection connection = source.connect(database.name())) {
                run(connection, script);
            } catch (SQLException e) {
                throw MigrationException.environment("could not load demo/" + script + " into database "
                        + database.name() + " on " + source + ": " + e.getMessage(), e);
            }
            log.debug("demo database {} loaded in {} ms", database.name(), (System.nanoTime() - loading) / 1_000_000);
        }
        log.info("demo dataset loaded into {} in {} ms: databases {}", source, (System.nanoTime() - started) / 1_000_000,
                databases());
    }

    private static void requireFresh(Connection postgres, EmbeddedServer source) throws SQLException {
        try (PreparedStatement query = postgres.prepareStatement(
                "SELECT (SELECT count(*) FROM pg_database WHERE datname = ANY (?))"
                        + " + (SELECT count(*) FROM pg_roles WHERE rolname = ANY (?))")) {
            query.setArray(1, postgres.createArrayOf("text", databases().toArray()));
            query.setArray(2, postgres.createArrayOf("text", roles().toArray()));
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                if (rows.getLong(1) > 0) {
                    throw MigrationException.environment("the demo dataset needs a fresh server, but " + source
                            + " already has some of its databases " + databases() + " or roles " + roles(), null);
                }
            }
        }
    }

    /** Runs one script of src/main/resources/demo as a single multi-statement execution (one transaction). */
    private static void run(Connection connection, String script) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(read(script));
        }
    }

    private static String read(String script) {
        try (InputStream in = DemoDataset.class.getResourceAsStream("/demo/" + script)) {
            if (in == null) {
                throw new IllegalStateException("resource demo/" + script + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource demo/" + script, e);
        }
    }
}
