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

    public Limits {
        positive("--dump-jobs", dumpJobs);
        positive("--restore-jobs", restoreJobs);
        positive("--dump-parallel", dumpParallel);
        positive("--restore-parallel", restoreParallel);
        positive("--verify-concurrency", verifyConcurrency);
    }

    private static void positive(String option, int value) {
        if (value < 1) {
            throw io.pgmigrate.MigrationException.usage(option + " must be at least 1 (got " + value + ")");
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
