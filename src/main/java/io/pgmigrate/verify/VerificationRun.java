package io.pgmigrate.verify;

import io.pgmigrate.MigrationException;
import io.pgmigrate.config.Endpoint;
import io.pgmigrate.postgres.Connections;
import io.pgmigrate.postgres.Identifiers;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Verifies a list of databases and the global objects, with its own connections and executor. */
public final class VerificationRun {
    private static final Logger log = LoggerFactory.getLogger(VerificationRun.class);

    private VerificationRun() {
    }

    /**
     * @param ignoredTables per database, table keys left out of the row comparison
     */
    public static VerificationReport run(Endpoint source, Endpoint target, List<String> databases, RowCheck rowCheck,
                                         int concurrency, Map<String, Set<String>> ignoredTables)
            throws InterruptedException {
        ExecutorService executor = Executors.newFixedThreadPool(Math.max(1, concurrency), r -> {
            Thread t = new Thread(r, "verify");
            t.setDaemon(true);
            return t;
        });
        try (Connections connections = new Connections(concurrency)) {
            Verifier verifier = new Verifier(source, target, connections, executor, rowCheck);
            List<Difference> globals;
            try {
                globals = verifier.globals();
            } catch (SQLException e) {
                throw MigrationException.connection("verification of the global objects failed: " + e.getMessage(), e);
            }
            List<DatabaseVerdict> verdicts = new ArrayList<>();
            for (String db : databases) {
                MDC.put("db", db);
                try {
                    DatabaseVerdict verdict = verifier.database(db, ignoredTables.getOrDefault(db, Set.of()));
                    log.info("verification: {} ({} objects, {} tables, {} rows, rows: {})",
                            verdict.equal() ? "equal" : verdict.differences().size() + " difference(s)",
                            verdict.objects(), verdict.tables(), verdict.rows(), rowCheck);
                    verdicts.add(verdict);
                } catch (SQLException e) {
                    verdicts.add(new DatabaseVerdict(db, 0, 0, 0, rowCheck, List.of(new Difference("database",
                            Identifiers.quote(db), "present", "cannot be verified: " + e.getMessage()))));
                } finally {
                    connections.release(source, db);
                    connections.release(target, db);
                    MDC.remove("db");
                }
            }
            return new VerificationReport(globals, verdicts);
        } finally {
            executor.shutdownNow();
        }
    }
}
