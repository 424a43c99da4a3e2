package io.pgmigrate.verify;

import io.pgmigrate.config.Endpoint;
import io.pgmigrate.postgres.Connections;
import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.postgres.PostgresErrors;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Verifies a list of databases and the global objects, with its own connections and executors: row queries
 * {@code concurrency} at once across all databases, and a quarter as many databases at once (at least one), since
 * a database's catalogs are read one query at a time and one database alone leaves both servers mostly idle.
 */
public final class VerificationRun {
    private static final Logger log = LoggerFactory.getLogger(VerificationRun.class);

    /** What the report says instead of comparing the global objects. */
    private static final String GLOBALS_LEFT_OUT = "the global objects (roles, their attributes and passwords, "
            + "memberships, role settings): the run was told not to migrate them (--migrate-globals=false); the "
            + "databases' owners and grants are compared by role name";

    private VerificationRun() {
    }

    /**
     * @param globals       whether the global objects are compared (else the report says they were not)
     * @param ignoredTables per database, table keys left out of the row comparison
     */
    public static VerificationReport run(Endpoint source, Endpoint target, List<String> databases, RowCheck rowCheck,
                                         int concurrency, boolean globals, Map<String, Set<String>> ignoredTables)
            throws InterruptedException {
        int threads = Math.max(1, concurrency);
        ExecutorService rows = Executors.newFixedThreadPool(threads, named("verify-rows"));
        // one more than the databases' threads: the global objects are read alongside them
        ExecutorService work = Executors.newFixedThreadPool(Math.max(1, threads / 4) + 1, named("verify"));
        var mdc = MDC.getCopyOfContextMap();
        try (Connections connections = new Connections(threads);
             Verifier verifier = new Verifier(source, target, connections, rows, rowCheck)) {
            Future<List<Difference>> globalDifferences = work.submit(() -> {
                if (!globals) {
                    return List.of();
                }
                try {
                    return verifier.globals();
                } catch (SQLException e) {
                    throw PostgresErrors.sqlError("verifying the global objects", e);
                }
            });
            List<Future<DatabaseVerdict>> verdicts = new ArrayList<>();
            for (String db : databases) {
                verdicts.add(work.submit(() -> {
                    if (mdc != null) {
                        MDC.setContextMap(mdc);
                    }
                    MDC.put("db", db);
                    try {
                        DatabaseVerdict verdict = verifier.database(db, ignoredTables.getOrDefault(db, Set.of()));
                        log.info("verification: {} ({} objects, {} tables, {} rows, rows: {})",
                                verdict.equal() ? "equal" : verdict.differences().size() + " difference(s)",
                                verdict.objects(), verdict.tables(), verdict.rows(), rowCheck);
                        return verdict;
                    } catch (SQLException e) {
                        return new DatabaseVerdict(db, 0, 0, 0, rowCheck, List.of(new Difference("database",
                                Identifiers.quote(db), "present", "cannot be verified: " + e.getMessage())));
                    } finally {
                        connections.release(source, db);
                        connections.release(target, db);
                        MDC.clear();
                    }
                }));
            }
            List<DatabaseVerdict> out = new ArrayList<>();
            for (Future<DatabaseVerdict> f : verdicts) {
                out.add(get(f));
            }
            List<Difference> differences = get(globalDifferences);
            List<String> notCompared = new ArrayList<>(globals ? List.of() : List.of(GLOBALS_LEFT_OUT));
            notCompared.addAll(verifier.notCompared());
            return new VerificationReport(differences, out, notCompared);
        } finally {
            work.shutdownNow();
            rows.shutdownNow();
        }
    }

    private static <T> T get(Future<T> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
