package io.pgmigrate.pipeline;

import io.pgmigrate.config.Endpoint;
import io.pgmigrate.postgres.Connections;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exported snapshot of one source database, held open by a transaction of its own. pg_dump reads it
 * ({@code --snapshot}) and so do the source counts, so the counts describe exactly what was dumped even while
 * clients still write to the source.
 */
public final class SourceSnapshot implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SourceSnapshot.class);

    private final Connection connection;
    private final String id;

    private SourceSnapshot(Connection connection, String id) {
        this.connection = connection;
        this.id = id;
    }

    /** Exports a snapshot, or says why it cannot (a paused standby before 10, say) and returns empty. */
    public static Optional<SourceSnapshot> export(Endpoint source, String database) {
        Connection c = Connections.open(source, database);
        try {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                try (ResultSet rs = st.executeQuery("SELECT pg_export_snapshot()")) {
                    rs.next();
                    return Optional.of(new SourceSnapshot(c, rs.getString(1)));
                }
            }
        } catch (SQLException e) {
            log.warn("cannot export a snapshot of the source ({}): dump and counts rely on a quiet source",
                    e.getMessage());
            try {
                c.close();
            } catch (SQLException ignored) {
                // already failing
            }
            return Optional.empty();
        }
    }

    /**
     * pg_dump's --jobs: its workers share the snapshot. Without one (a paused standby before 10, which cannot export
     * it) one job, which reads the database in its own single transaction: pg_dump -j refuses such a standby, and
     * pg_dump 15 dropped --no-synchronized-snapshots.
     */
    static int pgDumpJobs(Optional<SourceSnapshot> snapshot, int jobs) {
        return snapshot.isPresent() ? jobs : 1;
    }

    public String id() {
        return id;
    }

    @Override
    public void close() {
        try {
            connection.rollback();
            connection.close();
        } catch (SQLException e) {
            log.debug("closing the snapshot connection: {}", e.getMessage());
        }
    }
}
