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
 * left at its default (as many as {@code --restore-jobs}) is scaled down first, then the other knobs left at their
 * defaults ({@code --restore-parallel}, then on the short side {@code --verify-concurrency}, {@code --dump-parallel} or
 * {@code --restore-jobs}), until both sides fit; a knob the user set is never changed: if the run does not fit, it
 * stops before any work.
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

    /** The config with its table jobs (and, if need be, other default knobs) settled; dump mode: unchanged. */
    static MigrationConfig apply(MigrationConfig config, int sourceFree, int targetFree) {
        return fit(config, sourceFree, targetFree).config();
    }

    /** The settled config, and the line that says which knobs other than --table-jobs were scaled down (or null). */
    record Fit(MigrationConfig config, String adjustment) {
    }

    static Fit fit(MigrationConfig config, int sourceFree, int targetFree) {
        if (!config.transfer().stream()) {
            return new Fit(config, null);
        }
        Limits l = config.limits();
        boolean explicit = config.transfer().tableJobs() != null;
        int jobs = config.transfer().tableJobs(l);
        while (sourceNeed(l, jobs) > sourceFree || targetNeed(l, jobs) > targetFree) {
            if (!explicit && jobs > 1) {
                jobs--;
                continue;
            }
            Limits next = shrink(l, config.explicitKnobs(), sourceNeed(l, jobs) > sourceFree);
            if (next == null) {
                boolean source = sourceNeed(l, jobs) > sourceFree;
                throw MigrationException.environment("stream mode needs " + (source ? sourceNeed(l, jobs)
                        : targetNeed(l, jobs)) + " connections on the " + (source ? "source" : "target") + " with "
                        + "--table-jobs " + jobs + " and " + l + ", but it has " + (source ? sourceFree : targetFree)
                        + " free slots; lower --table-jobs or --restore-parallel, or raise max_connections");
            }
            l = next;
        }
        String adjustment = l.equals(config.limits()) ? null : "connection budget: stream mode needs more, so "
                + "with --table-jobs " + jobs + " it runs with " + l;
        return new Fit(config.withLimits(l).withTransfer(config.transfer().withTableJobs(jobs)), adjustment);
    }

    /** One default knob one lower: --restore-parallel (both sides), else one that counts on the short side. */
    private static Limits shrink(Limits l, java.util.Set<String> explicit, boolean sourceShort) {
        if (!explicit.contains("--restore-parallel") && l.restoreParallel() > 1) {
            return l.withRestoreParallel(l.restoreParallel() - 1);
        }
        if (!explicit.contains("--verify-concurrency") && l.verifyConcurrency() > 1) {
            return l.withVerifyConcurrency(l.verifyConcurrency() - 1);
        }
        if (sourceShort && !explicit.contains("--dump-parallel") && l.dumpParallel() > 1) {
            return l.withDumpParallel(l.dumpParallel() - 1);
        }
        if (!sourceShort && !explicit.contains("--restore-jobs") && l.restoreJobs() > 1) {
            return l.withRestoreJobs(l.restoreJobs() - 1);
        }
        return null;
    }
}
