package io.pgmigrate.pipeline;

import io.pgmigrate.ExitCode;
import io.pgmigrate.MigrationException;
import io.pgmigrate.config.MigrationConfig;
import io.pgmigrate.postgres.Catalog;
import io.pgmigrate.postgres.Connections;
import io.pgmigrate.postgres.DatabaseInfo;
import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.postgres.PostgresErrors;
import io.pgmigrate.postgres.ServerInfo;
import io.pgmigrate.postgres.TargetWal;
import io.pgmigrate.process.CancelledException;
import io.pgmigrate.process.ChildProcesses;
import io.pgmigrate.process.ClientTools;
import io.pgmigrate.process.PgVersion;
import io.pgmigrate.process.ProcessRunner;
import io.pgmigrate.process.ToolLocator;
import io.pgmigrate.report.DatabaseReport;
import io.pgmigrate.report.DatabaseStatus;
import io.pgmigrate.report.RunReport;
import io.pgmigrate.state.RunIdentity;
import io.pgmigrate.state.RunLock;
import io.pgmigrate.state.StateStore;
import io.pgmigrate.stream.CopyScheduler;
import io.pgmigrate.verify.RowCheck;
import io.pgmigrate.verify.RowCounter;
import io.pgmigrate.verify.VerificationReport;
import io.pgmigrate.verify.VerificationRun;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole server: checks everything that can be checked before any change (tools, versions, logins,
 * connection slots, state folder, target databases), then applies the fast-load settings, migrates the global
 * objects, creates the databases and runs every database's pipeline, and always reverts the target settings.
 */
public final class Orchestrator {
    private static final Logger log = LoggerFactory.getLogger(Orchestrator.class);
    private static final Duration TERMINATE_GRACE = Duration.ofSeconds(5);
    /** The names an info line shows of a list that grows with the server (databases, tables); the log file has all. */
    private static final int NAMED = 5;

    private final MigrationConfig requested;
    private final Cancellation cancellation;
    private final RunReport report = new RunReport();
    /** The thread running the checks, until they end; Ctrl-C interrupts it. */
    private Thread checking;
    /** The thread waiting for the final verification, while it runs; Ctrl-C interrupts it. */
    private Thread verifying;

    public Orchestrator(MigrationConfig config, Cancellation cancellation) {
        this.requested = config;
        this.cancellation = cancellation;
    }

    public RunReport report() {
        return report;
    }

    /** Runs the migration; returns the exit code. Failures before any change throw {@link MigrationException}. */
    public ExitCode run() {
        try (TargetWal targetWal = new TargetWal(requested.target())) {
            return run(targetWal);
        }
    }

    private ExitCode run(TargetWal targetWal) {
        StateStore state = new StateStore(requested.migrateStateDir(), requested.verifyStateDir(), targetWal::flush);
        try (RunLock lock = RunLock.acquire(state.migrateDir())) {
            ChildProcesses.killOrphans(state.migrateDir().resolve("children.json"));
            state.removeLeftoverTempFiles();
            return runLocked(state, targetWal);
        } catch (RuntimeException e) {
            if (endChecks()) {
                // whatever the interrupt broke (a connect, a tool's version check) is not the error to report
                log.debug("checks stopped by the cancel: {}", e.toString());
                throw stoppedDuringChecks(e);
            }
            throw e;
        }
    }

    private ExitCode runLocked(StateStore state, TargetWal targetWal) {
        // ---- checks: nothing changes on either server until they all pass; Ctrl-C stops them at once
        ChildProcesses children = new ChildProcesses(state.migrateDir().resolve("children.json"));
        ProcessRunner runner = new ProcessRunner(children, TERMINATE_GRACE);
        synchronized (this) {
            checking = Thread.currentThread();
        }
        cancellation.onCancel(() -> {
            interruptChecks();
            children.terminateAll(TERMINATE_GRACE);
        });
        cancellation.onSecondSignal(() -> children.terminateAll(Duration.ZERO));
        if (cancellation.cancelled()) {
            interruptChecks(); // a signal that came before the action above: stop at the first blocking step
        }
        ClientTools tools = new ToolLocator(runner).locate(requested.pgBin().orElse(null));
        log.info("client tools: {}", tools.describe());
        // checked here, not when the first dump starts, after the target was changed
        tools.compressionFor(requested.compression()); // an unknown method: exit 2; one this pg_dump lacks: exit 3
        DumpRoot.requireWritable(requested.dumpRoot());
        ServerInfo source = ServerChecks.read(requested.source());
        ServerInfo target = ServerChecks.read(requested.target());
        log.info("source: PostgreSQL {} at {}:{}; target: PostgreSQL {} at {}:{}", source.majorVersion(),
                requested.source().host(), requested.source().port(), target.majorVersion(),
                requested.target().host(), requested.target().port());
        tools.requireCanDump(PgVersion.fromServerVersionNum(source.versionNum()));
        requireTargetNotOlder(source, target);
        if (requested.transfer().stream()) {
            tools.requireCanStream();
        }
        ServerChecks.requireSuperuser(requested.source(), source,
                "pg_dump and pg_dumpall read every object and the roles' password hashes");
        boolean managed = sql("reading the target login's attributes",
                () -> ManagedTarget.detect(requested.target(), target));
        if (managed) {
            log.info("the target login {} is not a superuser but has CREATEROLE and CREATEDB: the target is treated "
                    + "as managed", Identifiers.quote(requested.target().user()));
            if (!requested.delayTableData().isEmpty()) {
                throw MigrationException.environment("--delay-table-data needs a target login that is a superuser: "
                        + "the delayed tables are loaded by pg_restore --disable-triggers, which only a superuser may "
                        + "run on a table with foreign keys (their triggers are system triggers); the target login "
                        + Identifiers.quote(requested.target().user()) + " is not one (a managed target): leave "
                        + "--delay-table-data out");
            }
        }
        ServerChecks.requireNotStandby(requested.target(), target);
        ServerChecks.requireReadableAtOneMoment(requested.source(), source);
        if (source.exportsNoSnapshot()) {
            warn(List.of("the source is a PostgreSQL " + source.majorVersion() + " standby with WAL replay paused: "
                    + "it is read without a snapshot (pg_dump with one job per database), which is consistent only "
                    + "while replay stays paused; resume it (pg_xlog_replay_resume()) once the run has ended"));
        }
        RunIdentity identity = new RunIdentity(
                new RunIdentity.Server(requested.source().host(), requested.source().port(), source.systemIdentifier()),
                new RunIdentity.Server(requested.target().host(), requested.target().port(), target.systemIdentifier()));
        RunIdentity.requireSame(state, identity);
        TargetTuning tuning = new TargetTuning(requested.target(), state, targetWal);
        sql("reverting the settings an earlier run left on the target", tuning::revertLeftovers);
        LoginMemberships memberships = new LoginMemberships(requested.target(), state);
        sql("revoking the memberships an earlier run granted to the target login", memberships::revokeLeftovers);

        ConnectionBudget.Fit fit = ConnectionBudget.fit(requested.limits(), requested.explicitKnobs(),
                source.freeSlots(), target.freeSlots(), !requested.delayTableData().isEmpty(),
                !source.exportsNoSnapshot());
        if (fit.adjustment() != null) {
            log.warn(fit.adjustment());
            report.note(fit.adjustment());
        }
        StreamBudget.Fit streamFit = StreamBudget.apply(requested.withLimits(fit.limits()), source.freeSlots(),
                target.freeSlots(), !source.exportsNoSnapshot());
        if (streamFit.adjustment() != null) {
            log.warn(streamFit.adjustment());
            report.note(streamFit.adjustment());
        }
        MigrationConfig config = streamFit.config();
        boolean optimize = config.targetOptimizations() && !managed;
        if (managed && config.targetOptimizations()) {
            warn(List.of("managed target: its login may not ALTER SYSTEM, so the run leaves the target's settings "
                    + "alone, as with --disable-dst-optimizations"));
        }
        if (config.transfer().stream()) {
            log.info("stream mode: table data piped COPY to COPY by --table-jobs {} copy workers for all databases, "
                    + "--index-jobs {} index builds at once", config.transfer().tableJobs(config.limits()),
                    config.transfer().indexJobs(config.limits()));
        }
        List<DatabaseInfo> all = sql("listing the source's databases", () -> {
            try (Connection c = Connections.open(config.source(), config.source().database())) {
                return new Catalog(c).databases();
            }
        });
        List<DatabaseInfo> databases = new ArrayList<>(discover(config, all));
        if (config.transfer().stream()) {
            // stream mode: largest first, so the small databases fill the slots while the big ones finish
            databases.sort(java.util.Comparator.comparingLong(DatabaseInfo::sizeBytes).reversed());
        }
        List<String> warnings = new ArrayList<>();
        DelayedTables delayed = DelayedTables.resolve(config.delayTableData(), databases,
                all.stream().map(DatabaseInfo::name).toList(), config.source(), config.allowUnmatchedDelay(), warnings);
        warn(warnings);
        if (!delayed.isEmpty()) {
            log.info("delayed tables: {}", delayed.describe(NAMED));
            log.debug("delayed tables, every one: {}", delayed);
        }
        SourceSurvey survey = sql("reading the source databases",
                () -> SourceSurvey.read(config.source(), databases, source, config.target().user(),
                        !config.migrateGlobals(), managed));
        if (managed) {
            sql("checking what the target login can restore", () -> {
                ManagedTarget.requireReproducible(config, survey, databases);
                return null;
            });
        }
        warn(sql("checking the extensions the databases use",
                () -> ExtensionCheck.require(config.source(), config.target(), survey)));
        warn(sql("looking for extensions whose owner cannot create them on the target",
                () -> ExtensionOwners.warnings(config.target(), survey)));
        UnloggedOnStandby.require(config.source(), survey);
        if (!config.migrateGlobals()) {
            sql("looking for the roles the databases name on the target", () -> {
                MissingRoles.require(config.target(), survey);
                return null;
            });
        }
        warn(BuiltinFamilyMembers.warnings(survey));
        SourceLocks sourceLocks = sql("checking the source's lock table",
                () -> SourceLocks.read(config.source(), survey));
        Tablespaces tablespaces = new Tablespaces(config.noTablespaces(), config.tablespaceLocations());
        sql("checking the tablespaces", () -> {
            if (config.migrateGlobals()) {
                tablespaces.check(config.source(), config.target());
            } else {
                tablespaces.checkPresent(config.source(), config.target(), databases);
            }
            return null;
        });
        DatabaseCreator creator = new DatabaseCreator(config.source(), config.target(), state,
                !config.noTablespaces(), tools.version().isAtLeast(15) && target.versionNum() < 150000);
        sql("looking for the databases on the target", () -> {
            creator.checkNoForeignDatabases(databases);
            return null;
        });
        warn(sql("looking for databases an earlier run left unfinished", () -> creator.unfinishedLeftOut(databases)));
        List<DatabaseReport> reports = new ArrayList<>();
        for (DatabaseInfo db : databases) {
            reports.add(report.add(db.name(), db.sizeBytes()));
        }
        List<String> names = databases.stream().map(d -> Identifiers.quote(d.name())).toList();
        log.info("{} database(s) to migrate, {} first: {}{}", databases.size(),
                config.transfer().stream() ? "largest" : "smallest", Names.firstOf(names, NAMED),
                names.size() > NAMED ? " (every one in the run's log file)" : "");
        if (names.size() > NAMED) {
            log.debug("the database(s) to migrate, in order: {}", String.join(", ", names));
        }
        if (endChecks()) {
            throw stoppedDuringChecks(null);
        }

        // ---- changes
        RunIdentity.claim(state, identity);
        ExecutorService countExecutor = Executors.newFixedThreadPool(config.limits().verifyConcurrency(),
                named("count"));
        ExecutorService databaseExecutor = Executors.newFixedThreadPool(
                config.limits().dumpParallel() + config.limits().restoreParallel(), named("db"));
        cancellation.onCancel(() -> {
            databaseExecutor.shutdownNow();
            countExecutor.shutdownNow();
            creator.stop(); // before the children's grace, which may take seconds
            children.terminateAll(TERMINATE_GRACE);
            interruptVerification();
        });
        try (Connections connections = new Connections(config.limits().verifyConcurrency())) {
            CopyScheduler copies = null;
            try {
                if (optimize) {
                    // inside the try: a failure halfway through is reverted below too
                    sql("applying the fast-load settings on the target", tuning::apply);
                }
                cancellation.check();
                if (config.migrateGlobals()) {
                    long start = System.nanoTime();
                    sql("migrating the global objects", () -> {
                        new GlobalsMigration(config.source(), config.target(), tools, runner, state, tablespaces,
                                cancellation, managed).run(report);
                        return null;
                    });
                    report.step("globals", Duration.ofNanos(System.nanoTime() - start));
                }
                cancellation.check(); // Ctrl-C during the globals replay: no database is started
                if (managed) {
                    sql("granting the target login the roles whose objects it restores", () -> {
                        memberships.grant(config.source());
                        return null;
                    });
                }
                sql("ending the sessions an earlier run left on the target", () -> {
                    creator.endLeftoverSessions();
                    return null;
                });
                if (config.transfer().stream()) {
                    copies = new CopyScheduler(config.transfer().tableJobs(config.limits()), cancellation::cancelled);
                }
                RunContext ctx = new RunContext(config, state, new Slots(config.limits().dumpParallel(),
                        config.limits().restoreParallel()), sourceLocks, connections,
                        new RowCounter(connections, countExecutor), tools, runner, creator, cancellation,
                        optimize, delayed, report, copies, config.transfer().stream()
                        ? new Semaphore(config.transfer().indexJobs(config.limits())) : null, managed);
                List<Future<DatabaseStatus>> futures = new ArrayList<>();
                for (int i = 0; i < databases.size(); i++) {
                    DatabasePipeline pipeline = new DatabasePipeline(ctx, databases.get(i), i, reports.get(i));
                    futures.add(submit(databaseExecutor, pipeline));
                }
                databaseExecutor.shutdown();
                awaitAll(databaseExecutor);
                if (!cancellation.cancelled()) {
                    verifyMigrated(config, reports, state);
                } else {
                    report.regularPhaseUnfinished(); // a cancelled run did not finish it: the summary shows no time
                }
            } catch (MigrationException e) {
                if (!cancellation.cancelled()) {
                    throw e;
                }
            } finally {
                databaseExecutor.shutdownNow();
                countExecutor.shutdownNow();
                if (copies != null) {
                    copies.close();
                }
                creator.close();
                if (cancellation.cancelled()) {
                    children.terminateAll(TERMINATE_GRACE);
                }
                revert(tuning);
                if (managed) {
                    giveBack(memberships);
                }
            }
        }
        for (DatabaseReport r : reports) {
            if (r.status() == DatabaseStatus.PENDING || r.status() == DatabaseStatus.RUNNING) {
                r.finished(DatabaseStatus.INTERRUPTED);
            }
        }
        report.finished();
        return outcome(reports);
    }

    /** Warnings of the checks: in the log and the summary. */
    private void warn(List<String> warnings) {
        warnings.forEach(w -> {
            log.warn(w);
            report.note(w);
        });
    }

    /** Ctrl-C during the final verification stops waiting for it: a checksum of every row can take hours. */
    private synchronized void interruptVerification() {
        if (verifying != null) {
            verifying.interrupt();
        }
    }

    /** Ctrl-C during the checks interrupts the thread running them: a connect to a hung server, say. */
    private synchronized void interruptChecks() {
        if (checking != null) {
            checking.interrupt();
        }
    }

    /**
     * Ends the checks: from now on Ctrl-C no longer interrupts this thread (the cancel actions of the migration
     * take over), and an interrupt meant for the checks is cleared. Returns whether the run was cancelled during them.
     */
    private synchronized boolean endChecks() {
        boolean wasChecking = checking != null;
        checking = null;
        Thread.interrupted();
        return wasChecking && cancellation.cancelled();
    }

    private MigrationException stoppedDuringChecks(Exception cause) {
        return new MigrationException(cancellation.reason(),
                (cancellation.reason() == ExitCode.TERMINATED ? "terminated" : "interrupted")
                        + " during the checks, before the migration changed anything", cause);
    }

    private ExitCode outcome(List<DatabaseReport> reports) {
        if (cancellation.cancelled()) {
            return cancellation.reason();
        }
        if (reports.stream().anyMatch(r -> r.status() == DatabaseStatus.FAILED) || !report.errors().isEmpty()) {
            return ExitCode.DATABASES_FAILED;
        }
        if (reports.stream().anyMatch(r -> r.status() == DatabaseStatus.VERIFY_FAILED)
                || !report.differences().isEmpty()) {
            return ExitCode.VERIFICATION_FAILED;
        }
        return ExitCode.OK;
    }

    private List<DatabaseInfo> discover(MigrationConfig config, List<DatabaseInfo> all) {
        DatabaseSelection selection = new DatabaseSelection(config.includeDatabases(), config.excludeDatabases(),
                config.source().database());
        List<DatabaseInfo> chosen = selection.select(all);
        DatabaseSelection.requireConnectable(chosen);
        String maintenance = config.source().database();
        if (!selection.wanted(maintenance) && all.stream().anyMatch(d -> d.name().equals(maintenance))) {
            warnIfHoldsRelations(config, maintenance, "the source's maintenance database "
                    + Identifiers.quote(maintenance), "; add --include-db " + maintenance
                    + " (and --include-db '*' for the rest) to migrate it");
        }
        if (!maintenance.equals("template1")) {
            warnIfHoldsRelations(config, "template1", "the source's template1",
                    " (nor into the databases created from the target's template1): create them there if needed");
        }
        if (chosen.isEmpty()) {
            log.warn("no database to migrate");
        }
        return chosen;
    }

    /** A warning, in the log and the summary, when a source database that is not migrated holds user relations. */
    private void warnIfHoldsRelations(MigrationConfig config, String database, String what, String advice) {
        int relations;
        try (Connection c = Connections.open(config.source(), database)) {
            relations = new Catalog(c).userRelationCount();
        } catch (SQLException e) {
            log.debug("cannot look into {} ({}): no warning about it", database, e.getMessage());
            return;
        }
        if (relations > 0) {
            String warning = what + " holds " + relations + " user relation(s) that will NOT be migrated" + advice;
            log.warn("!!! {}", warning);
            report.note(warning);
        }
    }

    /**
     * After the pipelines: compares the migrated databases' objects and properties and the global objects, and with
     * {@code --verify checksum} every row, and records every difference in the summary and verification.json.
     */
    private void verifyMigrated(MigrationConfig config, List<DatabaseReport> reports, StateStore state) {
        List<DatabaseReport> done = reports.stream().filter(r -> r.status() == DatabaseStatus.DONE).toList();
        if (done.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        // a database an earlier run verified was counted then: the target may have changed since, count it again
        RowCheck rows = config.checksumVerify() ? RowCheck.CHECKSUM
                : !config.fastVerify() && done.stream().anyMatch(r -> r.wasResumed(Phase.VERIFY)) ? RowCheck.COUNT
                : RowCheck.NONE;
        log.info("verification: comparing objects, database properties{}{}", config.migrateGlobals()
                        ? " and global objects" : " (not the global objects: --migrate-globals=false)",
                rows == RowCheck.CHECKSUM ? ", and a checksum of every row"
                        : rows == RowCheck.COUNT ? ", and the row counts of every table" : "");
        VerificationReport verification;
        synchronized (this) {
            verifying = Thread.currentThread();
        }
        try {
            cancellation.check();
            verification = VerificationRun.run(config.source(), config.target(),
                    done.stream().map(DatabaseReport::name).toList(),
                    rows,
                    config.limits().verifyConcurrency(), config.migrateGlobals(), java.util.Map.of());
        } catch (InterruptedException | CancelledException e) {
            if (!cancellation.cancelled()) {
                Thread.currentThread().interrupt();
            }
            return; // Ctrl-C: the run ends as cancelled, without a verdict
        } finally {
            synchronized (this) {
                verifying = null;
            }
            if (cancellation.cancelled()) {
                Thread.interrupted(); // meant for the verification, not for reverting the settings
            }
        }
        verification.write(state.migrateDir().resolve("verification.json"));
        for (var verdict : verification.databases()) {
            if (verdict.equal()) {
                continue;
            }
            DatabaseReport db = done.stream().filter(r -> r.name().equals(verdict.database())).findFirst().orElseThrow();
            db.differs();
            verdict.differences().stream().limit(20).forEach(d -> db.error("differs: " + d));
            log.error("[{}] verification: {} difference(s), first: {}", verdict.database(),
                    verdict.differences().size(), verdict.differences().get(0));
        }
        verification.globals().forEach(d -> report.difference(d.toString()));
        report.step("verification", Duration.ofNanos(System.nanoTime() - start));
        verification.notCompared().forEach(n -> report.note("verification: not compared: " + n));
        report.note("verification (" + state.migrateDir().resolve("verification.json") + "): "
                + (verification.equal() ? "the migrated databases" + (config.migrateGlobals() ? " and global objects"
                : "") + " equal the source" + (verification.notCompared().isEmpty() ? ""
                : ", but for what was not compared") : "DIFFERENCES FOUND"));
    }

    private void revert(TargetTuning tuning) {
        try {
            tuning.revert();
        } catch (SQLException | MigrationException e) {
            String message = "could not revert the target settings (" + (e instanceof SQLException sql
                    ? PostgresErrors.oneLine(sql) : PostgresErrors.oneLine(e.getMessage())) + "); they stay recorded in "
                    + "the state folder and the next run reverts them first (or pg-migrate revert-settings, if the "
                    + "migration is given up)";
            log.error(message);
            report.error(message);
        }
    }

    /** Gives back the memberships the run granted the login; what it cannot stays recorded for the next run. */
    private void giveBack(LoginMemberships memberships) {
        try {
            memberships.revoke();
        } catch (SQLException | MigrationException e) {
            String message = "could not give back the memberships the run granted to the target login ("
                    + (e instanceof SQLException sql ? PostgresErrors.oneLine(sql) : PostgresErrors.oneLine(e.getMessage()))
                    + "); they stay recorded in the state folder and the next run revokes them first";
            log.error(message);
            report.error(message);
        }
    }

    /** A Ctrl-C since the check before the loop has shut the executor down: the run ends as cancelled. */
    private Future<DatabaseStatus> submit(ExecutorService executor, DatabasePipeline pipeline) {
        try {
            return executor.submit(pipeline::run);
        } catch (RejectedExecutionException e) {
            cancellation.check();
            throw e;
        }
    }

    private void awaitAll(ExecutorService executor) {
        try {
            while (!executor.awaitTermination(1, TimeUnit.SECONDS)) {
                // keep waiting; Ctrl-C interrupts the workers through the cancel actions
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancellation.cancel(ExitCode.INTERRUPTED);
        }
    }

    /** pg_dump writes for its source's version: an older server does not know what a newer one dumps. */
    private static void requireTargetNotOlder(ServerInfo source, ServerInfo target) {
        if (target.versionNum() / 100 < source.versionNum() / 100) {
            throw MigrationException.environment("the source is PostgreSQL " + source.majorVersion()
                    + " and the target PostgreSQL " + target.majorVersion() + ": pg_dump output of a newer server "
                    + "cannot be restored into an older one; migrate to a target of PostgreSQL "
                    + source.majorVersion() + " or newer");
        }
    }

    @FunctionalInterface
    private interface SqlCall<T> {
        T call() throws SQLException;
    }

    /** An SQL error of the run's own queries: one line, exit 4 only when a server went away (PostgresErrors). */
    private static <T> T sql(String doing, SqlCall<T> call) {
        try {
            return call.call();
        } catch (SQLException e) {
            throw PostgresErrors.sqlError(doing, e);
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
