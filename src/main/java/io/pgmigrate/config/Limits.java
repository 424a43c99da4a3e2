package io.pgmigrate.config;

/**
 * The parallelism knobs, as the reference names them.
 *
 * @param dumpJobs          pg_dump -j per database
 * @param restoreJobs       pg_restore -j per database; also bounds parallel ANALYZE and index builds
 * @param dumpParallel      databases dumped at once (source-side slots)
 * @param restoreParallel   databases restored at once (target-side slots)
 * @param verifyConcurrency count queries in flight across every database and both servers
 */
public record Limits(int dumpJobs, int restoreJobs, int dumpParallel, int restoreParallel, int verifyConcurrency) {
    /**
     * The most any parallelism knob may be: more connections than a server runs in practice, and small enough that
     * the connection budgets' sums of products stay far below {@code Integer.MAX_VALUE}.
     */
    public static final int MOST = 10_000;

    public Limits {
        requireKnob("--dump-jobs", dumpJobs);
        requireKnob("--restore-jobs", restoreJobs);
        requireKnob("--dump-parallel", dumpParallel);
        requireKnob("--restore-parallel", restoreParallel);
        requireKnob("--verify-concurrency", verifyConcurrency);
    }

    /** A parallelism knob from 1 to {@link #MOST}, else a usage error naming the option. */
    public static void requireKnob(String option, int value) {
        if (value < 1) {
            throw io.pgmigrate.MigrationException.usage(option + " must be at least 1 (got " + value + ")");
        }
        if (value > MOST) {
            throw io.pgmigrate.MigrationException.usage(option + " must be at most " + MOST + " (got " + value + ")");
        }
    }

    public Limits withDumpJobs(int v) {
        return new Limits(v, restoreJobs, dumpParallel, restoreParallel, verifyConcurrency);
    }

    public Limits withRestoreJobs(int v) {
        return new Limits(dumpJobs, v, dumpParallel, restoreParallel, verifyConcurrency);
    }

    public Limits withDumpParallel(int v) {
        return new Limits(dumpJobs, restoreJobs, v, restoreParallel, verifyConcurrency);
    }

    public Limits withRestoreParallel(int v) {
        return new Limits(dumpJobs, restoreJobs, dumpParallel, v, verifyConcurrency);
    }

    public Limits withVerifyConcurrency(int v) {
        return new Limits(dumpJobs, restoreJobs, dumpParallel, restoreParallel, v);
    }

    @Override
    public String toString() {
        return "--dump-jobs " + dumpJobs + " --restore-jobs " + restoreJobs + " --dump-parallel " + dumpParallel
                + " --restore-parallel " + restoreParallel + " --verify-concurrency " + verifyConcurrency;
    }
}
