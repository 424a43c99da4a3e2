package io.pgmigrate.pipeline;

import io.pgmigrate.config.Endpoint;
import io.pgmigrate.postgres.Connections;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs statements on one database, several at once: each worker opens one connection (a database of 500 small
 * tables otherwise spends its time logging in) and takes the next statement until none is left. The first error
 * stops the others.
 */
final class ParallelStatements {
    private static final Logger log = LoggerFactory.getLogger(ParallelStatements.class);
    /** What each worker's session needs before its statements (quiet DDL, session settings). */
    @FunctionalInterface
    interface SessionSetup {
        void apply(Connection c) throws SQLException;
    }

    private ParallelStatements() {
    }

    static void run(Endpoint server, String database, List<String> statements, int workers, String name,
                    SessionSetup setup) throws SQLException, InterruptedException {
        if (statements.isEmpty()) {
            return;
        }
        int threads = Math.max(1, Math.min(workers, statements.size()));
        Queue<String> queue = new ConcurrentLinkedQueue<>(statements);
        Set<Statement> running = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> new Thread(r, name + "-" + database));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    try (Connection c = Connections.open(server, database); Statement st = c.createStatement()) {
                        setup.apply(c);
                        running.add(st);
                        try {
                            String sql;
                            while ((sql = queue.poll()) != null) {
                                st.execute(sql);
                            }
                        } finally {
                            running.remove(st);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            queue.clear();
            cancel(running);
            pool.shutdownNow();
        }
    }

    /**
     * Stopped early (an error, Ctrl-C): the statements still running are cancelled on the server. Interrupting their
     * threads would not reach it, and a connection that merely closes is noticed only when the server next talks to
     * the client: a CREATE INDEX would run on to its commit after the tool stopped.
     */
    private static void cancel(Set<Statement> running) {
        for (Statement st : running) {
            try {
                st.cancel();
            } catch (SQLException e) {
                log.debug("cancelling a statement: {}", e.getMessage());
            }
        }
    }
}
