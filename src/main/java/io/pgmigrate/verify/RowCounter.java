package io.pgmigrate.verify;

import io.pgmigrate.config.Endpoint;
import io.pgmigrate.postgres.Catalog;
import io.pgmigrate.postgres.Connections;
import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.postgres.TableRef;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Counts the rows of every leaf table of a database. Exact counts use {@code count(*) FROM ONLY}, so a partition
 * or inheritance child is counted once, in itself. Every count query of the run, on both servers, goes through one
 * executor whose size is {@code --verify-concurrency}: that executor is the global cap.
 */
public final class RowCounter {
    private final Connections connections;
    private final ExecutorService countExecutor;

    public RowCounter(Connections connections, ExecutorService countExecutor) {
        this.connections = connections;
        this.countExecutor = countExecutor;
    }

    /**
     * Exact counts, keyed by {@link TableRef#key()}. With a snapshot, every count reads that exported snapshot
     * (the one pg_dump used), so the counts describe exactly what was dumped.
     */
    public Map<String, Long> exact(Endpoint server, String database, Optional<String> snapshot)
            throws SQLException, InterruptedException {
        return exact(server, database, snapshot, tables(server, database));
    }

    /** The tables counts are kept for (as of now, not in a snapshot: the list of tables is not what changes). */
    public List<TableRef> tables(Endpoint server, String database) throws SQLException {
        try (Connection c = connections.pooled(server, database)) {
            return List.copyOf(new Catalog(c).tables().keySet());
        }
    }

    /** Exact counts of the given tables only. */
    public Map<String, Long> exact(Endpoint server, String database, Optional<String> snapshot, List<TableRef> tables)
            throws SQLException, InterruptedException {
        List<Future<Long>> futures = new ArrayList<>();
        for (TableRef table : tables) {
            futures.add(countExecutor.submit(() -> count(server, database, table, snapshot)));
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        try {
            for (int i = 0; i < tables.size(); i++) {
                counts.put(tables.get(i).key(), futures.get(i).get());
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            futures.forEach(f -> f.cancel(true));
        }
        return counts;
    }

    /** Planner estimates (pg_class.reltuples), one query. Only good enough for a warning. */
    public Map<String, Long> estimated(Endpoint server, String database) throws SQLException, InterruptedException {
        try (Connection c = connections.pooled(server, database)) {
            Map<String, Long> out = new LinkedHashMap<>();
            new Catalog(c).tables().forEach((t, n) -> out.put(t.key(), n));
            return out;
        }
    }

    private long count(Endpoint server, String database, TableRef table, Optional<String> snapshot)
            throws SQLException {
        String sql = "SELECT count(*) FROM ONLY " + Identifiers.quote(table.schema()) + "."
                + Identifiers.quote(table.name());
        try (Connection c = connections.pooled(server, database)) {
            if (snapshot.isEmpty()) {
                return single(c, sql);
            }
            c.setAutoCommit(false);
            try {
                try (Statement st = c.createStatement()) {
                    st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
                    st.execute("SET TRANSACTION SNAPSHOT " + Identifiers.literal(snapshot.get()));
                }
                return single(c, sql);
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

}
