package io.pgmigrate.pipeline;

import io.pgmigrate.MigrationException;
import io.pgmigrate.config.Limits;
import io.pgmigrate.config.MigrationConfig;

/**
 * Stream mode's peak connections, checked after {@link ConnectionBudget} has fitted the other knobs:
 * <pre>
 * source: dump_parallel × (1 pg_dump + 1 snapshot) + restore_parallel × (1 snapshot + table_jobs) + verify + 2
 * target: restore_parallel × (table_jobs + restore_jobs) + verify + 2
 * </pre>
 * (a database builds each table's indexes on {@code restore_jobs} connections while it copies the others; then its
 * large objects are copied by {@code table_jobs} workers, while the last index builds may still run; its post-data
 * restore, {@code 1 + restore_jobs}, comes after all of them). {@code --table-jobs}
 * left at its default (as many as {@code --restore-jobs}) is scaled down until both sides fit; one the user set is
 * never changed: if it does not fit, the run stops before any work.
 */
final class StreamBudget {
    private StreamBudget() {
    }

    static int sourceNeed(Limits l, int tableJobs) {
        return l.dumpParallel() * 2 + l.restoreParallel() * (1 + tableJobs) + l.verifyConcurrency()
                + ConnectionBudget.RESIDUE;
    }

    static int targetNeed(Limits l, int tableJobs) {
        return l.restoreParallel() * (tableJobs + l.restoreJobs()) + l.verifyConcurrency()
                + ConnectionBudget.RESIDUE;
    }

    /** The config with its table jobs settled (dump mode: unchanged). */
    static MigrationConfig apply(MigrationConfig config, int sourceFree, int targetFree) {
        if (!config.transfer().stream()) {
            return config;
        }
        Limits l = config.limits();
        boolean explicit = config.transfer().tableJobs() != null;
        int jobs = config.transfer().tableJobs(l);
        while (!explicit && jobs > 1 && (sourceNeed(l, jobs) > sourceFree || targetNeed(l, jobs) > targetFree)) {
            jobs--;
        }
        if (sourceNeed(l, jobs) > sourceFree || targetNeed(l, jobs) > targetFree) {
            boolean source = sourceNeed(l, jobs) > sourceFree;
            throw MigrationException.environment("stream mode needs " + (source ? sourceNeed(l, jobs)
                    : targetNeed(l, jobs)) + " connections on the " + (source ? "source" : "target") + " with "
                    + "--table-jobs " + jobs + " and " + l + ", but it has " + (source ? sourceFree : targetFree)
                    + " free slots; lower --table-jobs or --restore-parallel, or raise max_connections");
        }
        return config.withTransfer(config.transfer().withTableJobs(jobs));
    }
}
