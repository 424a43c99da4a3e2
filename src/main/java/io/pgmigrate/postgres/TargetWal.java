package io.pgmigrate.postgres;

import io.pgmigrate.ExitCode;
import io.pgmigrate.MigrationException;
import io.pgmigrate.config.Endpoint;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Makes what the target has committed so far durable. The load commits asynchronously (synchronous_commit = off),
 * so a commit can still be in the server's memory when the tool records the step as done. One commit with
 * synchronous_commit on, of a transaction that wrote WAL, writes and flushes the WAL up to its own commit record,
 * and with it every commit the server made before. A marker of a step on the target is written after that, never
 * before.
 * One connection to the target's maintenance database, opened on first use (the budget's residue counts it).
 */
public final class TargetWal implements AutoCloseable {
    private final Endpoint target;
    private Connection connection;

    public TargetWal(Endpoint target) {
        this.target = target;
    }

    /** Returns once every transaction the target committed before this call is on disk. */
    public synchronized void flush() {
        try {
            if (connection == null) {
                connection = open();
            }
            try (Statement st = connection.createStatement()) {
                // a commit waits for its WAL only if the transaction wrote some: a transactional message does (9.6+,
                // any user, at any wal_level; a logical decoding client of the target sees a "pg-migrate" message)
                st.execute("SELECT pg_logical_emit_message(true, 'pg-migrate', 'durable')");
            }
            connection.commit();
        } catch (SQLException e) {
            close();
            throw new MigrationException(ExitCode.DATABASES_FAILED, "could not make the target's last changes "
                    + "durable (a synchronous commit failed: " + e.getMessage() + "); run again", e);
        }
    }

    private Connection open() throws SQLException {
        Connection c = Connections.open(target, target.database());
        try {
            try (Statement st = c.createStatement()) {
                st.execute("SET synchronous_commit = on");
            }
            c.setAutoCommit(false);
            return c;
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the connection is gone either way
            }
            connection = null;
        }
    }
}
