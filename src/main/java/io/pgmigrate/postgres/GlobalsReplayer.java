package io.pgmigrate.postgres;

import io.pgmigrate.MigrationException;
import io.pgmigrate.process.CancelledException;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs global statements (roles, memberships, role settings, tablespaces) on the target, one by one in autocommit,
 * on a connection the caller owns (and closes).
 *
 * <p>A statement failing with SQLState 42710 (duplicate_object: the role or tablespace is already there) counts as
 * "already existed", and so does one that loses the race to create it with another session (it runs again, see
 * {@link #execute}); the {@code ALTER ROLE x WITH ...} after a {@code CREATE ROLE x} still runs and brings the
 * existing role's attributes and password to the source's. Any other error is collected as a {@link Failure} and
 * the replay goes on; only a broken connection (SQLState class 08) stops it, with a {@link MigrationException}.
 * Statement texts in logs and failures never hold a password literal.
 *
 * <p>{@link #stop} (Ctrl-C, from another thread) cancels the statement running on the server, which may be waiting
 * for a lock another session holds, and the replay ends with a {@link CancelledException}: the statements before it
 * are committed, the cancelled one is rolled back, the rest have not run.
 */
public final class GlobalsReplayer {
    static final String DUPLICATE_OBJECT = "42710";
    private static final String UNIQUE_VIOLATION = "23505";
    /** "tuple concurrently updated": two sessions changed one catalog row at once. */
    private static final String INTERNAL_ERROR = "XX000";
    private static final int RACE_ATTEMPTS = 3;
    private static final Logger log = LoggerFactory.getLogger(GlobalsReplayer.class);

    /** How often {@link #stop} sends its cancel request again, until the replay has stopped. */
    private static final Duration CANCEL_AGAIN = Duration.ofMillis(200);
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final Connection connection;
    private volatile boolean stopped;
    private volatile boolean replaying;

    public GlobalsReplayer(Connection connection) {
        this.connection = Objects.requireNonNull(connection, "connection");
    }

    /** A statement that failed: its text (abbreviated, password redacted), SQLState and the server's message. */
    public record Failure(String statement, String sqlState, String message) {
        @Override
        public String toString() {
            return "[" + sqlState + "] " + message + " in: " + statement;
        }
    }

    /**
     * What the replay did.
     *
     * @param executed       statements that ran without error
     * @param alreadyExisted statements refused with duplicate_object (42710)
     * @param failures       every other failed statement, in order
     */
    public record Result(int executed, int alreadyExisted, List<Failure> failures) {
        public Result {
            failures = List.copyOf(failures);
        }

        public boolean succeeded() {
            return failures.isEmpty();
        }
    }

    /**
     * Runs the statements in order (each in its own transaction: the connection is put in autocommit for the
     * replay and set back afterwards).
     *
     * @throws MigrationException (connection) when the connection breaks during the replay
     */
    public Result replay(List<String> statements) {
        Objects.requireNonNull(statements, "statements");
        boolean autoCommit = autoCommit();
        replaying = true;
        try {
            if (!autoCommit) {
                connection.setAutoCommit(true);
            }
            Result result = runAll(statements);
            log.info("globals replayed: {} statement(s) executed, {} already existed, {} failed",
                    result.executed(), result.alreadyExisted(), result.failures().size());
            return result;
        } catch (SQLException e) {
            throw MigrationException.connection("cannot replay the global objects on the target: " + e.getMessage(), e);
        } finally {
            replaying = false;
            if (!autoCommit) {
                restoreAutoCommit();
            }
        }
    }

    /**
     * Stops the replay from another thread: no statement starts any more, and the running one is cancelled on the
     * server. A cancel request that reaches the server before the statement has started there is ignored, so it is
     * sent again until the replay has ended (for up to 10 s).
     */
    public void stop() {
        stopped = true;
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        while (replaying && System.nanoTime() < deadline) {
            try {
                connection.unwrap(PGConnection.class).cancelQuery();
                Thread.sleep(CANCEL_AGAIN.toMillis());
            } catch (SQLException e) {
                log.debug("cancelling the globals replay's statement: {}", e.getMessage());
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Result runAll(List<String> statements) throws SQLException {
        int executed = 0;
        int alreadyExisted = 0;
        List<Failure> failures = new ArrayList<>();
        try (Statement jdbc = connection.createStatement()) {
            jdbc.setEscapeProcessing(false); // the text is plain SQL: no JDBC {fn ...} escapes to rewrite
            for (String sql : statements) {
                if (stopped) {
                    throw stoppedAfter(executed + alreadyExisted + failures.size(), statements.size(), null);
                }
                try {
                    log.trace("replaying: {}", GlobalsScript.describe(sql));
                    execute(jdbc, sql);
                    executed++;
                } catch (SQLException e) {
                    if (stopped) {
                        throw stoppedAfter(executed + alreadyExisted + failures.size(), statements.size(), sql);
                    }
                    String state = e.getSQLState() == null ? "" : e.getSQLState();
                    if (state.startsWith("08") || connection.isClosed()) {
                        throw MigrationException.connection("the target connection broke while replaying the global"
                                + " objects (after " + executed + " statement(s), at [" + GlobalsScript.describe(sql)
                                + "]): " + scrub(PostgresErrors.oneLine(e), sql), e);
                    }
                    if (state.equals(DUPLICATE_OBJECT)) {
                        alreadyExisted++;
                        log.debug("already exists on the target: {}", GlobalsScript.describe(sql));
                    } else {
                        Failure failure = new Failure(GlobalsScript.describe(sql), state, scrub(PostgresErrors.oneLine(e), sql));
                        failures.add(failure);
                        log.warn("global statement failed on the target: {}", failure);
                    }
                }
            }
        }
        return new Result(executed, alreadyExisted, failures);
    }

    /**
     * Runs one statement; one that lost a race with another session making the same change (another run replaying
     * onto this target) runs again. The loser's error (a unique violation on the catalog, or "tuple concurrently
     * updated") comes once the winner has committed, so the second attempt meets what it committed: a CREATE finds
     * the object there (duplicate_object, "already existed"), any other statement does its own work.
     */
    private void execute(Statement jdbc, String sql) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                jdbc.execute(sql);
                return;
            } catch (SQLException e) {
                if (attempt == RACE_ATTEMPTS || stopped || !lostRace(e)) {
                    throw e;
                }
                log.debug("lost a race with another session on the target, running it again: {} ({})",
                        GlobalsScript.describe(sql), e.getSQLState());
            }
        }
    }

    static boolean lostRace(SQLException e) {
        return UNIQUE_VIOLATION.equals(e.getSQLState()) || (INTERNAL_ERROR.equals(e.getSQLState())
                && String.valueOf(e.getMessage()).contains("concurrently"));
    }

    private static CancelledException stoppedAfter(int done, int total, String cancelled) {
        return new CancelledException("replay stopped after " + done + " of " + total + " statement(s)"
                + (cancelled == null ? "" : " (cancelled on the target: [" + GlobalsScript.describe(cancelled) + "])"));
    }

    /** A server message may quote a token of the statement (syntax errors): never let a password through. */
    private static String scrub(String message, String sql) {
        String scrubbed = message;
        for (String secret : GlobalsScript.passwordValues(sql)) {
            scrubbed = scrubbed.replace(secret, "***");
        }
        return scrubbed;
    }

    private boolean autoCommit() {
        try {
            return connection.getAutoCommit();
        } catch (SQLException e) {
            throw MigrationException.connection("cannot use the target connection to replay the global objects: "
                    + e.getMessage(), e);
        }
    }

    private void restoreAutoCommit() {
        try {
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            log.warn("could not set the target connection back to manual commit: {}", e.getMessage());
        }
    }
}
