package io.pgmigrate.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pgmigrate.MigrationException;
import io.pgmigrate.config.Endpoint;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connections to both servers. PostgreSQL binds a connection to one database at login, so there is a small pool
 * per (server, database); idle connections close after about ten seconds, so a finished database does not keep
 * slots on the servers. {@link #open} gives a dedicated connection outside the pools (settings, snapshots).
 */
public final class Connections implements AutoCloseable {
    static {
        // Hikari evicts idle connections on its housekeeping tick: make it a short one.
        System.setProperty("com.zaxxer.hikari.housekeeping.periodMs", "2000");
    }

    private final int maxPerDatabase;
    private final Map<String, HikariDataSource> pools = new ConcurrentHashMap<>();

    public Connections(int maxPerDatabase) {
        this.maxPerDatabase = Math.max(1, maxPerDatabase);
    }

    /** A pooled connection; close it to give it back. */
    public Connection pooled(Endpoint server, String database) throws SQLException {
        return pools.computeIfAbsent(key(server, database), k -> newPool(server, database)).getConnection();
    }

    /** A connection of its own, with clear errors for the usual ways a login fails. */
    public static Connection open(Endpoint server, String database) {
        try {
            return DriverManager.getConnection(url(server, database), properties(server));
        } catch (SQLException e) {
            throw PostgresErrors.connectionFailed(server, database, e);
        }
    }

    /** Closes the pool of one database, e.g. once it is migrated or before it is dropped. */
    public void release(Endpoint server, String database) {
        HikariDataSource pool = pools.remove(key(server, database));
        if (pool != null) {
            pool.close();
        }
    }

    @Override
    public void close() {
        pools.values().forEach(HikariDataSource::close);
        pools.clear();
    }

    private HikariDataSource newPool(Endpoint server, String database) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url(server, database));
        config.setDataSourceProperties(properties(server));
        config.setMaximumPoolSize(maxPerDatabase);
        config.setMinimumIdle(0);
        config.setIdleTimeout(10_000);
        config.setConnectionTimeout(60_000);
        config.setInitializationFailTimeout(-1);
        config.setPoolName("pool-" + server.role() + "-" + database);
        return new HikariDataSource(config);
    }

    private static String key(Endpoint server, String database) {
        return server.role() + "\u0000" + server.host() + "\u0000" + server.port() + "\u0000" + database;
    }

    static String url(Endpoint server, String database) {
        // pgjdbc URL-decodes the database part, so any name (quotes, spaces, '/', '?', non-ASCII) survives.
        String host = server.host().contains(":") ? "[" + server.host() + "]" : server.host();
        return "jdbc:postgresql://" + host + ":" + server.port() + "/"
                + URLEncoder.encode(database, StandardCharsets.UTF_8);
    }

    private static Properties properties(Endpoint server) {
        return properties(server, System.getenv());
    }

    /**
     * The login's properties. A PGOPTIONS in the environment reaches the JDBC sessions as it reaches libpq's (pg_dump,
     * pg_restore): pgjdbc does not read it itself, but sends its {@code options} property the same way. The settings
     * a session of the tool makes afterwards (SET) still win.
     */
    static Properties properties(Endpoint server, Map<String, String> environment) {
        Properties p = new Properties();
        String options = environment.get("PGOPTIONS");
        if (options != null && !options.isBlank()) {
            p.setProperty("options", options);
        }
        p.setProperty("user", server.user());
        if (server.password() != null) {
            p.setProperty("password", server.password());
        }
        p.setProperty("ApplicationName", "pg-migrate");
        p.setProperty("connectTimeout", "15");
        p.setProperty("loginTimeout", "30");
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("socketFactory", KeepAliveSocketFactory.class.getName());
        // stream mode copies a SQL_ASCII database's bytes with the client encoding SQL_ASCII (TableCopier)
        p.setProperty("allowEncodingChanges", "true");
        return p;
    }
}
