package io.pgmigrate.postgres;

import io.pgmigrate.ExitCode;
import io.pgmigrate.MigrationException;
import io.pgmigrate.config.Endpoint;
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
    private final SharedConnection connection;

    public TargetWal(Endpoint target) {
        this.connection = new SharedConnection(target, c -> {
            try (Statement st = c.createStatement()) {
                st.execute("SET synchronous_commit = on");
            }
            c.setAutoCommit(false);
            return null;
        });
    }

    /** Returns once every transaction the target committed before this call is on disk. */
    public void flush() {
        try {
            connection.use(c -> {
                try (Statement st = c.createStatement()) {
                    // a commit waits for its WAL only if the transaction wrote some: a transactional message does
                    // (9.6+, any user, at any wal_level; a logical decoding client of the target sees a "pg-migrate"
                    // message)
                    st.execute("SELECT pg_logical_emit_message(true, 'pg-migrate', 'durable')");
                }
                c.commit();
                return null;
            });
        } catch (SQLException e) {
            throw new MigrationException(ExitCode.DATABASES_FAILED, "could not make the target's last changes "
                    + "durable (a synchronous commit failed: " + e.getMessage() + "); run again", e);
        }
    }

    @Override
    public void close() {
        connection.close();
    }
}
