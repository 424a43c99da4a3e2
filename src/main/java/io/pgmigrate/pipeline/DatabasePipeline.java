package io.pgmigrate.pipeline;

import io.pgmigrate.MigrationException;
import io.pgmigrate.config.Endpoint;
import io.pgmigrate.config.MigrationConfig;
import io.pgmigrate.postgres.Catalog;
import io.pgmigrate.postgres.Connections;
import io.pgmigrate.postgres.DelayedDdl;
import io.pgmigrate.postgres.TableRef;
import io.pgmigrate.postgres.DatabaseInfo;
import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.postgres.PostgresErrors;
import io.pgmigrate.postgres.Sql;
import io.pgmigrate.process.CancelledException;
import io.pgmigrate.process.ProcessRunner;
import io.pgmigrate.process.ProcessSpec;
import io.pgmigrate.report.DatabaseReport;
import io.pgmigrate.report.DatabaseStatus;
import io.pgmigrate.state.Marker;
import io.pgmigrate.state.StateNames;
import io.pgmigrate.state.StateStore;
import io.pgmigrate.verify.CountComparison;
import io.pgmigrate.verify.CountComparison.Difference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One database through the regular phase, as plain sequential code:
 * dump -> source counts (source slot), restore -> target counts -> verify -> analyze (target slot). How the dump and
 * the restore move the data is the {@link DataMovement} that {@code --mode} picks.
 * Each step is skipped when its marker says an earlier run did it; a marker is written only once the step's
 * effect is on disk. Errors are logged here, once, and recorded in the database's report.
 */
public final class DatabasePipeline {
    private static final Logger log = LoggerFactory.getLogger(DatabasePipeline.class);
    /** The delayed tables its info line names; the state's delayed_ddl.json and the run's debug log have all. */
    private static final int NAMED_TABLES = 5;

    private final RunContext ctx;
    private final MigrationConfig config;
    private final StateStore state;
    private final DatabaseInfo db;
    private final DatabaseReport report;
    private final List<TableRef> delayed;
    private final PipelineSteps steps = new Steps();
    private final DataMovement movement;
    private final int rank;
    private Optional<SourceSnapshot> snapshot = Optional.empty();
    private boolean sourceCountsFromSnapshot;
    /** Tables whose source count is the number of rows their copy reads in the snapshot (stream mode). */
    private Map<String, TableRef> countedByCopy = Map.of();

    /** {@code rank}: the database's place in the run's order, which its slots are granted by (0 first). */
    public DatabasePipeline(RunContext ctx, DatabaseInfo db, int rank, DatabaseReport report) {
        this.ctx = ctx;
        this.rank = rank;
        this.config = ctx.config();
        this.state = ctx.state();
        this.db = db;
        this.report = report;
        this.delayed = ctx.delayed().of(db.name());
        this.movement = config.transfer().stream() ? new StreamMovement(ctx, db, report, delayed, steps)
                : new DumpMovement(ctx, db, delayed, steps);
    }

    public DatabaseStatus run() {
        MDC.put("db", db.name());
        report.started();
        try {
            ctx.cancellation().check();
            ctx.creator().create(db);
            requireSameDelayedTables();
            DelayedDdl ddl = delayed.isEmpty() ? null : delayedDdl();
            Map<String, Long> sourceCounts = targetSide(sourceSide(), ddl);
            report.regularDone();
            ctx.run().regularDone();
            if (ddl != null) {
                delayedPhase(sourceCounts, ddl);
            }
            ctx.cancellation().check();
            ctx.creator().applyProperties(db);
            report.finished(DatabaseStatus.DONE);
            log.info("migrated and verified");
        } catch (CancelledException | InterruptedException e) {
            report.finished(DatabaseStatus.INTERRUPTED);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        } catch (VerificationFailed e) {
            log.error("verification failed: {}", e.getMessage());
            report.finished(DatabaseStatus.VERIFY_FAILED);
        } catch (MigrationException e) {
            if (ctx.cancellation().cancelled()) {
                report.finished(DatabaseStatus.INTERRUPTED);
            } else {
                String message = PostgresErrors.oneLine(e.getMessage());
                log.error("{}", message);
                report.error(message);
                report.finished(DatabaseStatus.FAILED);
            }
        } catch (SQLException e) {
            if (ctx.cancellation().cancelled()) {
                report.finished(DatabaseStatus.INTERRUPTED);
            } else {
                String message = "SQL error: " + PostgresErrors.oneLine(e);
                log.error("{}", message);
                report.error(message);
                report.finished(DatabaseStatus.FAILED);
            }
        } catch (RuntimeException e) {
            log.error("unexpected error (a bug): {}", e.toString(), e);
            report.error("unexpected error: " + e);
            report.finished(DatabaseStatus.FAILED);
        } finally {
            snapshot.ifPresent(SourceSnapshot::close);
            ctx.connections().release(config.source(), db.name());
            ctx.connections().release(config.target(), db.name());
            MDC.remove("db");
        }
        return report.status();
    }

    // ---------------------------------------------------------------- source side

    private Map<String, Long> sourceSide() throws SQLException, InterruptedException {
        try (Slots.Slot slot = ctx.slots().source(rank)) {
            ctx.cancellation().check();
            try {
                if (movement.sourceSideDone()) {
                    report.resumedPast(Phase.DUMP);
                } else {
                    // a new dump is a new snapshot: whatever was derived from the old one is redone, and a delayed
                    // phase an earlier dump finished vouches for nothing (its delayed_verify would let another
                    // delayed set through requireSameDelayedTables)
                    state.clear(db.name(), Marker.DUMPED);
                    state.clear(db.name(), Marker.DELAYED_DUMPED);
                    forgetDelayedPhase();
                    if (delayed.isEmpty()) {
                        state.deleteJson(savedDdlFile()); // this dump leaves no table's data out
                    }
                    for (String kind : List.of("src_counts", "src_counts.fast", "src_counts.delayed",
                            "src_counts.delayed.fast")) {
                        state.clearCounts(db.name(), kind);
                    }
                    // pg_dump locks every table: it waits while other dumps hold too many of the source's locks
                    try (Slots.Slot locks = ctx.sourceLocks().hold(db, rank)) {
                        snapshot = SourceSnapshot.export(config.source(), db.name());
                        timed(Phase.DUMP, () -> movement.dump(snapshot));
                    }
                }
                ToolWarnings.of(state.toolLog(db.name(), "pg_dump"), "pg_dump").forEach(report::warning);
                return sourceCounts(snapshot);
            } finally {
                if (delayed.isEmpty() && !movement.readsSourceDuringRestore()) {
                    closeSnapshot();
                }
                ctx.connections().release(config.source(), db.name());
            }
        }
    }

    private void closeSnapshot() {
        snapshot.ifPresent(SourceSnapshot::close);
        snapshot = Optional.empty();
    }

    private Map<String, Long> sourceCounts(Optional<SourceSnapshot> snapshot) throws SQLException, InterruptedException {
        String kind = config.fastVerify() ? "src_counts.fast" : "src_counts";
        Optional<Map<String, Long>> cached = state.counts(db.name(), kind);
        if (cached.isPresent()) {
            report.resumedPast(Phase.SOURCE_COUNTS);
            return cached.get();
        }
        if (!config.fastVerify() && snapshot.isEmpty()) {
            String why = report.wasResumed(Phase.DUMP) ? "the dump was taken by an earlier run"
                    : "the source could not export a snapshot";
            report.warning("source counts read now, not at the dump's snapshot (" + why
                    + "): they match only if nothing wrote to the source since");
        }
        Map<String, Long> counts = timed(Phase.SOURCE_COUNTS, () -> {
            if (config.fastVerify()) {
                return ctx.counter().estimated(config.source(), db.name());
            }
            List<TableRef> tables = ctx.counter().tables(config.source(), db.name());
            Set<String> byCopy = snapshot.isPresent() ? movement.countedByCopy() : Set.of();
            countedByCopy = tables.stream().filter(t -> byCopy.contains(t.key()))
                    .collect(Collectors.toMap(TableRef::key, t -> t));
            return ctx.counter().exact(config.source(), db.name(), snapshot.map(SourceSnapshot::id),
                    tables.stream().filter(t -> !countedByCopy.containsKey(t.key())).toList());
        });
        sourceCountsFromSnapshot = snapshot.isPresent();
        if (countedByCopy.isEmpty()) {
            state.saveCounts(db.name(), kind, counts);
        }
        return counts;
    }

    /**
     * The source counts with those of the tables the restore copied: the rows each copy read in the snapshot (the
     * same number {@code count(*)} would give there). Saved once complete.
     */
    private Map<String, Long> withCopiedCounts(Map<String, Long> counted) throws SQLException, InterruptedException {
        if (countedByCopy.isEmpty()) {
            return counted;
        }
        Map<String, Long> all = new LinkedHashMap<>(counted);
        Map<String, Long> copied = movement.copiedRows();
        List<TableRef> missing = new ArrayList<>();
        for (TableRef t : countedByCopy.values()) {
            Long rows = copied.get(t.key());
            if (rows == null) {
                missing.add(t);
            } else {
                all.put(t.key(), rows);
            }
        }
        if (!missing.isEmpty()) { // not copied after all: counted in the same snapshot
            all.putAll(ctx.counter().exact(config.source(), db.name(), snapshot.map(SourceSnapshot::id), missing));
        }
        log.debug("source counts of {} table(s) taken from their copy", countedByCopy.size() - missing.size());
        state.saveCounts(db.name(), "src_counts", all);
        countedByCopy = Map.of();
        return all;
    }

    // ---------------------------------------------------------------- target side

    /** Returns the complete source counts. */
    private Map<String, Long> targetSide(Map<String, Long> counted, DelayedDdl ddl)
            throws SQLException, InterruptedException {
        try (Slots.Slot slot = ctx.slots().target(rank)) {
            ctx.cancellation().check();
            if (state.has(db.name(), Marker.DONE)) {
                report.resumedPast(Phase.RESTORE);
            } else {
                timed(Phase.RESTORE, () -> movement.restore(snapshot, ddl));
            }
            Map<String, Long> sourceCounts = withCopiedCounts(counted);
            if (delayed.isEmpty()) {
                closeSnapshot();
            }
            List<String> subscriptions = SubscriptionNote.addTo(report, ctx.connections(), config.target(),
                    db.name());
            if (!subscriptions.isEmpty()) {
                SubscriptionStreaming.keepOff(config.source(), config.target(), db.name(), subscriptions);
            }
            Map<String, Long> targetCounts = targetCounts();
            report.counted(sourceCounts.size(), CountComparison.totalRows(sourceCounts));
            verify(sourceCounts, targetCounts);
            if (delayed.isEmpty()) {
                analyze();
            }
            return sourceCounts;
        }
    }

    private void delayedPhase(Map<String, Long> regularSourceCounts, DelayedDdl ddl)
            throws SQLException, InterruptedException {
        DelayedPhase phase = new DelayedPhase(ctx, db, report, delayed, ddl, steps);
        Map<String, Long> sourceCounts;
        try (Slots.Slot slot = ctx.slots().source(rank)) {
            ctx.cancellation().check();
            sourceCounts = phase.sourceSide(snapshot, regularSourceCounts, sourceCountsFromSnapshot);
        } finally {
            closeSnapshot();
            ctx.connections().release(config.source(), db.name());
        }
        try (Slots.Slot slot = ctx.slots().target(rank)) {
            ctx.cancellation().check();
            phase.targetSide(sourceCounts);
            analyze();
        }
    }

    /**
     * Once an earlier run's dump has decided which tables' data the regular phase leaves out (the delayed tables, or
     * none), those are the delayed tables until the delayed phase has ended: one no longer named would never get its
     * data (nor its indexes, once dropped), one named anew would get it twice.
     */
    private void requireSameDelayedTables() {
        List<String> before = state.readJson(savedDdlFile(), SavedDdl.class).map(SavedDdl::tables).orElse(List.of());
        List<String> keys = delayed.stream().map(TableRef::key).toList();
        if (!before.equals(keys) && movement.sourceSideDone() && !state.has(db.name(), Marker.DELAYED_VERIFY)) {
            throw MigrationException.state("the delayed tables of " + Identifiers.quote(db.name()) + " are not "
                    + "those an earlier run left out of its regular phase (" + before + " then, " + keys + " now), "
                    + "whose delayed phase has not ended: their data would never arrive, or arrive twice; run again "
                    + "with the earlier --delay-table-data patterns");
        }
    }

    private String savedDdlFile() {
        return StateNames.fileSafe(db.name()) + ".delayed_ddl.json";
    }

    /** The delayed tables' indexes and incoming foreign keys, read from the source once and kept in the state. */
    private DelayedDdl delayedDdl() throws SQLException {
        String file = savedDdlFile();
        Optional<SavedDdl> saved = state.readJson(file, SavedDdl.class);
        List<String> keys = delayed.stream().map(TableRef::key).toList();
        if (saved.isPresent() && saved.get().tables().equals(keys)) {
            return saved.get().ddl();
        }
        DelayedDdl ddl;
        try (Connection c = Connections.open(config.source(), db.name())) {
            ddl = new Catalog(c).delayedDdl(delayed);
        }
        state.writeJson(file, new SavedDdl(keys, ddl));
        log.info("{} delayed table(s) ({}): {} secondary index(es) to rebuild, {} foreign key(s) into them to add "
                + "after the load", keys.size(), Names.firstOf(keys, NAMED_TABLES), ddl.indexes().size(),
                ddl.foreignKeys().size());
        return ddl;
    }

    /** The state file holding the delayed DDL, with the tables it was read for. */
    record SavedDdl(List<String> tables, DelayedDdl ddl) {
    }

    /** Runs a pg_restore; any error it reports fails the database, with the errors in the summary. */
    void runRestore(ProcessSpec spec, Path logFile) {
        ProcessRunner.Result result = ctx.runner().run(spec);
        if (!result.succeeded()) {
            List<String> errors = RestoreLog.errors(logFile);
            errors.stream().limit(10).forEach(report::error);
            if (errors.size() > 10) {
                report.error("... " + (errors.size() - 10) + " more in " + logFile);
            }
            throw DelayedPhase.restoreFailed(errors.size(), result.exitCode(), logFile);
        }
    }

    private Map<String, Long> targetCounts() throws SQLException, InterruptedException {
        String kind = config.fastVerify() ? "dst_counts.fast" : "dst_counts";
        Optional<Map<String, Long>> cached = state.counts(db.name(), kind);
        if (cached.isPresent()) {
            report.resumedPast(Phase.TARGET_COUNTS);
            return cached.get();
        }
        Map<String, Long> counts = timed(Phase.TARGET_COUNTS, () -> config.fastVerify()
                ? ctx.counter().estimated(config.target(), db.name())
                : ctx.counter().exact(config.target(), db.name(), Optional.empty()));
        state.saveCounts(db.name(), kind, counts);
        return counts;
    }

    private void verify(Map<String, Long> source, Map<String, Long> target)
            throws SQLException, InterruptedException {
        if (state.has(db.name(), Marker.VERIFY)) {
            report.resumedPast(Phase.VERIFY);
            return;
        }
        // delayed tables are still empty on the target: the delayed phase verifies them
        Set<String> ignored = ctx.delayed().keysOf(db.name());
        List<Difference> differences = timed(Phase.VERIFY,
                () -> CountComparison.compare(source, target, ignored));
        if (!differences.isEmpty()) {
            if (config.fastVerify()) {
                differences.forEach(d -> report.warning("estimate differs: " + d));
                log.warn("{} table estimate(s) differ (--fast-verify: a warning, not a failure)", differences.size());
            } else {
                differences.stream().limit(20).forEach(d -> report.error("row count differs: " + d));
                if (differences.size() > 20) {
                    report.error("... and " + (differences.size() - 20) + " more tables differ");
                }
                throw new VerificationFailed(differences.size() + " table(s) differ, first: " + differences.get(0));
            }
        }
        state.mark(db.name(), Marker.VERIFY);
    }

    private void analyze() throws SQLException, InterruptedException {
        if (!config.analyze()) {
            return;
        }
        if (state.has(db.name(), Marker.ANALYZED)) {
            report.resumedPast(Phase.ANALYZE);
            return;
        }
        timed(Phase.ANALYZE, this::analyzeTables);
        state.mark(db.name(), Marker.ANALYZED);
    }

    private void analyzeTables() throws SQLException, InterruptedException {
        Endpoint target = config.target();
        List<String> relations = new ArrayList<>();
        try (Connection c = ctx.connections().pooled(target, db.name());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(Sql.get("analyze_targets"))) {
            while (rs.next()) {
                relations.add(Identifiers.quote(rs.getString(1)) + "." + Identifiers.quote(rs.getString(2)));
            }
        }
        relations.removeAll(movement.analyzedTables());
        ParallelStatements.run(target, db.name(), relations.stream().map(r -> "ANALYZE " + r).toList(),
                config.limits().restoreJobs(), "analyze", c -> { });
    }

    // ---------------------------------------------------------------- helpers

    /** What the data movement and the delayed phase use of this pipeline. */
    private final class Steps implements PipelineSteps {
        @Override
        public void timed(Phase phase, VoidStep step) throws SQLException, InterruptedException {
            DatabasePipeline.this.timed(phase, step);
        }

        @Override
        public Path dumpDir(String suffix) {
            return DatabasePipeline.this.dumpDir(suffix);
        }

        @Override
        public ProcessSpec connecting(ProcessSpec spec, Endpoint server) {
            return DatabasePipeline.connecting(spec, server);
        }

        @Override
        public void runRestore(ProcessSpec spec, Path logFile) {
            DatabasePipeline.this.runRestore(spec, logFile);
        }

        @Override
        public void targetChanging() {
            state.clearCounts(db.name(), "dst_counts");
            state.clearCounts(db.name(), "dst_counts.fast");
            state.clear(db.name(), Marker.VERIFY);
            state.clear(db.name(), Marker.ANALYZED);
            state.clear(db.name(), Marker.PROPERTIES);
            // a fresh restore brings back the delayed tables empty and with their indexes
            forgetDelayedPhase();
        }
    }

    /** The delayed phase's markers on the target side and its target counts: it is done again. */
    private void forgetDelayedPhase() {
        for (Marker m : List.of(Marker.DELAYED_INDEXES_DROPPED, Marker.DELAYED_LOADING,
                Marker.DELAYED_DONE, Marker.DELAYED_INDEXES_RECREATED, Marker.DELAYED_MATVIEWS_REFRESHED,
                Marker.DELAYED_VERIFY)) {
            state.clear(db.name(), m);
        }
        state.clearCounts(db.name(), "dst_counts.delayed");
        state.clearCounts(db.name(), "dst_counts.delayed.fast");
    }

    private Path dumpDir(String suffix) {
        return config.dumpRoot().resolve(StateNames.fileSafe(db.name()) + suffix);
    }

    /**
     * pg_dump writes money as its session prints it ("1.234,56 €" in de_DE) and pg_restore reads it as its session
     * parses it: in C on both sides every value round-trips exactly.
     */
    private static final String MONEY_AS_C = "-c lc_monetary=C";

    /** The password, and the session settings pinned for every client tool of a database. */
    private static ProcessSpec connecting(ProcessSpec spec, Endpoint server) {
        ProcessSpec pinned = spec.withServerOptions(MONEY_AS_C);
        return server.password() == null ? pinned : pinned.withEnv("PGPASSWORD", server.password());
    }

    @FunctionalInterface
    private interface Step<T> {
        T run() throws SQLException, InterruptedException;
    }

    @FunctionalInterface
    interface VoidStep {
        void run() throws SQLException, InterruptedException;
    }

    private <T> T timed(Phase phase, Step<T> step) throws SQLException, InterruptedException {
        long start = System.nanoTime();
        T result = step.run();
        report.phase(phase, Duration.ofNanos(System.nanoTime() - start));
        return result;
    }

    private void timed(Phase phase, VoidStep step) throws SQLException, InterruptedException {
        timed(phase, () -> {
            step.run();
            return null;
        });
    }

    public static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw MigrationException.environment("cannot delete " + path + ": " + e.getMessage(), e);
        }
    }

    /** Counts differ: the database is migrated but not proven equal. */
    static final class VerificationFailed extends MigrationException {
        VerificationFailed(String message) {
            super(io.pgmigrate.ExitCode.VERIFICATION_FAILED, message);
        }
    }
}
