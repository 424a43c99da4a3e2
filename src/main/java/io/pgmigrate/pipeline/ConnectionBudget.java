package io.pgmigrate.pipeline;

import io.pgmigrate.MigrationException;
import io.pgmigrate.config.Limits;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The peak number of connections each server needs, by the reference's formula, and fitting the parallelism
 * into the slots the servers have free.
 *
 * <pre>
 * source: dump_parallel × (1 + dump_jobs + 1 snapshot holder) + verify_concurrency + residue
 *         (+ restore_parallel snapshots held until the delayed dump, with --delay-table-data)
 * target: restore_parallel × (1 + restore_jobs) + verify_concurrency + residue
 * </pre>
 * The residue covers the run's own maintenance connection and pool connections that have not drained yet. A source
 * that exports no snapshot (a standby before 10, with replay paused) gets one pg_dump connection per database
 * instead: pg_dump runs there with one job, whatever --dump-jobs says, and no snapshot is held.
 * Knobs the user did not set are scaled down until both sides fit; knobs the user set are never changed: if they
 * do not fit, the run stops before any work, naming the knobs and the numbers.
 */
public final class ConnectionBudget {
    static final int RESIDUE = 2;

    /** The limits to run with, and the one line that says what was scaled down (null if nothing was). */
    public record Fit(Limits limits, String adjustment) {
    }

    private ConnectionBudget() {
    }

    public static int sourceNeed(Limits l) {
        return sourceNeed(l, false, true);
    }

    /** @param snapshot whether the source exports snapshots (see {@link SourceSnapshot#pgDumpJobs}) */
    public static int sourceNeed(Limits l, boolean delayed, boolean snapshot) {
        return l.dumpParallel() * (snapshot ? 1 + l.dumpJobs() + 1 : 1) + l.verifyConcurrency() + RESIDUE
                + (delayed && snapshot ? l.restoreParallel() : 0);
    }

    public static int targetNeed(Limits l) {
        return l.restoreParallel() * (1 + l.restoreJobs()) + l.verifyConcurrency() + RESIDUE;
    }

    public static Fit fit(Limits requested, Set<String> explicit, int sourceFree, int targetFree) {
        return fit(requested, explicit, sourceFree, targetFree, false, true);
    }

    public static Fit fit(Limits requested, Set<String> explicit, int sourceFree, int targetFree, boolean delayed,
                          boolean snapshot) {
        Limits l = requested;
        // without a snapshot --dump-jobs opens nothing: it is neither lowered nor named as a knob to lower
        Set<String> kept = new HashSet<>(explicit);
        Set<String> named = new HashSet<>(explicit);
        if (!snapshot) {
            kept.add("--dump-jobs");
            named.remove("--dump-jobs");
        }
        while (sourceNeed(l, delayed, snapshot) > sourceFree) {
            Limits next = shrinkSource(l, kept);
            if (next == null) {
                throw tooFew("source", sourceFree, sourceNeed(l, delayed, snapshot), "--dump-parallel "
                        + l.dumpParallel() + (snapshot ? " × (1 + --dump-jobs " + l.dumpJobs() + " + 1 snapshot)"
                        : " × 1 pg_dump (one job: the source exports no snapshot)")
                        + (delayed && snapshot ? " + --restore-parallel " + l.restoreParallel() + " held snapshots"
                        : ""), l, named);
            }
            l = next;
        }
        while (targetNeed(l) > targetFree) {
            Limits next = shrinkTarget(l, explicit);
            if (next == null) {
                throw tooFew("target", targetFree, targetNeed(l), "--restore-parallel " + l.restoreParallel()
                        + " × (1 + --restore-jobs " + l.restoreJobs() + ")", l, explicit);
            }
            l = next;
        }
        if (l.equals(requested)) {
            return new Fit(l, null);
        }
        return new Fit(l, "connection budget: the source has " + sourceFree + " free slots and the target "
                + targetFree + ", the defaults need " + sourceNeed(requested, delayed, snapshot) + " and "
                + targetNeed(requested)
                + "; running with " + l);
    }

    /** One default knob of the source side lowered by one, or null when none is left to lower. */
    static Limits shrinkSource(Limits l, Set<String> explicit) {
        boolean jobs = !explicit.contains("--dump-jobs") && l.dumpJobs() > 1;
        boolean parallel = !explicit.contains("--dump-parallel") && l.dumpParallel() > 1;
        boolean verify = !explicit.contains("--verify-concurrency") && l.verifyConcurrency() > 1;
        if (jobs && (l.dumpJobs() >= l.dumpParallel() || !parallel)) {
            return l.withDumpJobs(l.dumpJobs() - 1);
        }
        if (verify && l.verifyConcurrency() > l.dumpParallel() * 2) {
            return l.withVerifyConcurrency(l.verifyConcurrency() - 1);
        }
        if (parallel) {
            return l.withDumpParallel(l.dumpParallel() - 1);
        }
        return verify ? l.withVerifyConcurrency(l.verifyConcurrency() - 1) : null;
    }

    /** One default knob of the target side lowered by one, or null when none is left to lower. */
    static Limits shrinkTarget(Limits l, Set<String> explicit) {
        boolean jobs = !explicit.contains("--restore-jobs") && l.restoreJobs() > 1;
        boolean parallel = !explicit.contains("--restore-parallel") && l.restoreParallel() > 1;
        boolean verify = !explicit.contains("--verify-concurrency") && l.verifyConcurrency() > 1;
        if (jobs && (l.restoreJobs() >= l.restoreParallel() || !parallel)) {
            return l.withRestoreJobs(l.restoreJobs() - 1);
        }
        if (verify && l.verifyConcurrency() > l.restoreParallel() * 2) {
            return l.withVerifyConcurrency(l.verifyConcurrency() - 1);
        }
        if (parallel) {
            return l.withRestoreParallel(l.restoreParallel() - 1);
        }
        return verify ? l.withVerifyConcurrency(l.verifyConcurrency() - 1) : null;
    }

    /**
     * The knobs the user set that keep this side from fitting (the others are at 1 by now), and the numbers: "the
     * source has 16 free connection slots but --dump-parallel 6 × (1 + --dump-jobs 24 + 1 snapshot) +
     * --verify-concurrency 1 + 2 for the run itself = 159 are needed ...; lower -p/--max-parallel or
     * --dump-parallel and --dump-jobs, or raise max_connections on the source".
     */
    private static MigrationException tooFew(String side, int free, int need, String perDatabase, Limits l,
                                             Set<String> explicit) {
        boolean source = side.equals("source");
        String parallel = source ? "--dump-parallel" : "--restore-parallel";
        String jobs = source ? "--dump-jobs" : "--restore-jobs";
        List<String> given = new ArrayList<>();
        if (explicit.contains(parallel)) {
            given.add(explicit.contains("--max-parallel") ? "-p/--max-parallel or " + parallel : parallel);
        }
        if (explicit.contains(jobs)) {
            given.add(jobs);
        }
        if (explicit.contains("--verify-concurrency")) {
            given.add("--verify-concurrency");
        }
        return MigrationException.environment("the " + side + " has " + free + " free connection slots but "
                + perDatabase + " + --verify-concurrency " + l.verifyConcurrency() + " + " + RESIDUE
                + " for the run itself = " + need + " are needed, even with the options not given at 1; "
                + (given.isEmpty() ? "" : "lower " + String.join(" and ", given) + ", or ")
                + "raise max_connections on the " + side);
    }
}
