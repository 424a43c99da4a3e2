package io.pgmigrate.postgres;

import io.pgmigrate.config.Endpoint;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;

/**
 * One connection to a server's maintenance database, for the short catalog reads and statements each database needs
 * there (its properties, say): threads take turns on it, one call at a time, so a server of a thousand databases sees
 * one login for them, not a thousand. Opened on first use; a call that fails drops it, and the next opens another.
 */
public final class SharedConnection implements AutoCloseable {
    private final Endpoint server;
    private final Work<?> setup;
    private Connection connection;
    /** The connection while a call runs on it, for {@link #cancel} from another thread. */
    private volatile Connection busy;

    public SharedConnection(Endpoint server) {
        this(server, c -> null);
    }

    /** {@code setup}: run on each connection as it is opened (session settings, say). */
    public SharedConnection(Endpoint server, Work<?> setup) {
        this.server = server;
        this.setup = setup;
    }

    @FunctionalInterface
    public interface Work<T> {
        T apply(Connection c) throws SQLException;
    }

    /** Runs {@code work} on the connection, alone. */
    public synchronized <T> T use(Work<T> work) throws SQLException {
        try {
            if (connection == null) {
                connection = Connections.open(server, server.database());
                setup.apply(connection);
            }
            busy = connection;
            return work.apply(connection);
        } catch (SQLException | RuntimeException e) {
            close();
            throw e;
        } finally {
            busy = null;
        }
    }

    /** Cancels on the server the statement a call is running now, if any (Ctrl-C: it may wait for a lock). */
    public void cancel() {
        Connection c = busy;
        if (c != null) {
            try {
                c.unwrap(PGConnection.class).cancelQuery();
            } catch (SQLException e) {
                // the call ends either way
            }
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // gone either way
            }
            connection = null;
        }
    }
}
