package io.pgmigrate.pipeline;

import io.pgmigrate.MigrationException;
import io.pgmigrate.config.Limits;
import io.pgmigrate.config.MigrationConfig;
import java.util.Set;

/**
 * Stream mode's peak connections, checked after {@link ConnectionBudget} has fitted the other knobs:
 * <pre>
 * source: dump_parallel × (1 pg_dump + 1 snapshot) + restore_parallel × (1 snapshot + 1 large object list)
 *         + table_jobs + verify + 2
 * target: restore_parallel × (1 + restore_jobs) + table_jobs + verify + 2
 * </pre>
 * Without snapshots (a standby before 10, with replay paused) the two {@code 1 snapshot} terms are 0.
 * The {@code table_jobs} copy workers serve every database (each holds one connection on either side). A database in
 * its restore slot holds its snapshot on the source, and briefly a connection that lists its large objects; on the
 * target it builds indexes on {@code restore_jobs} connections while its tables are copied (plus, briefly, one
 * that empties tables), and its post-data restore, {@code 1 + restore_jobs}, comes after them.
 *
 * <p>{@code --table-jobs} left at its default ({@code restore_parallel × restore_jobs}) is scaled down until both
 * sides fit, first to one copy per restore slot, then with the other knobs left at their defaults, then to 1. Knobs
 * the user set are never changed: if they do not fit, the run stops before any work.
 */
final class StreamBudget {
    /** The config to run with, and the one line that says what was scaled down (null if nothing was). */
    record Fit(MigrationConfig config, String adjustment) {
    }

    private StreamBudget() {
    }

    static int sourceNeed(Limits l, int tableJobs, boolean snapshot) {
        int perDatabase = snapshot ? 2 : 1;
        return l.dumpParallel() * perDatabase + l.restoreParallel() * perDatabase + tableJobs + l.verifyConcurrency()
                + ConnectionBudget.RESIDUE;
    }

    static int targetNeed(Limits l, int tableJobs) {
        return l.restoreParallel() * (1 + l.restoreJobs()) + tableJobs + l.verifyConcurrency()
                + ConnectionBudget.RESIDUE;
    }

    /**
     * The config with its table jobs settled (dump mode: unchanged).
     *
     * @param snapshot whether the source exports snapshots
     */
    static Fit apply(MigrationConfig config, int sourceFree, int targetFree, boolean snapshot) {
        if (!config.transfer().stream()) {
            return new Fit(config, null);
        }
        Limits requested = config.limits();
        Set<String> explicit = config.explicitKnobs();
        boolean given = config.transfer().tableJobs() != null;
        Limits l = requested;
        int jobs = config.transfer().tableJobs(l);
        while (sourceNeed(l, jobs, snapshot) > sourceFree || targetNeed(l, jobs) > targetFree) {
            boolean source = sourceNeed(l, jobs, snapshot) > sourceFree;
            Limits next = source ? ConnectionBudget.shrinkSource(l, explicit) : ConnectionBudget.shrinkTarget(l, explicit);
            if (next == null && source && !explicit.contains("--restore-parallel") && l.restoreParallel() > 1) {
                // in stream mode each restore slot holds source connections too (its snapshot)
                next = l.withRestoreParallel(l.restoreParallel() - 1);
            }
            if (!given && jobs > Math.max(1, l.restoreParallel())) {
                jobs--;
            } else if (next != null) {
                l = next;
            } else if (!given && jobs > 1) {
                jobs--;
            } else {
                throw MigrationException.environment("stream mode needs " + (source ? sourceNeed(l, jobs, snapshot)
                        : targetNeed(l, jobs)) + " connections on the " + (source ? "source" : "target") + " with "
                        + "--table-jobs " + jobs + " and " + l + ", but it has " + (source ? sourceFree : targetFree)
                        + " free slots; lower " + (given ? "--table-jobs or " : "") + "--restore-parallel, or raise "
                        + "max_connections");
            }
        }
        String adjustment = l.equals(requested) ? null : "connection budget: stream mode's --table-jobs " + jobs
                + " copy workers need room too; running with " + l;
        return new Fit(config.withLimits(l).withTransfer(config.transfer().withTableJobs(jobs)), adjustment);
    }
}
