package io.pgmigrate.cli;

import io.pgmigrate.ExitCode;
import io.pgmigrate.MigrationException;
import io.pgmigrate.config.MigrationConfig;
import io.pgmigrate.pipeline.Cancellation;
import io.pgmigrate.pipeline.Orchestrator;
import io.pgmigrate.report.Logging;
import io.pgmigrate.report.RunReport;
import io.pgmigrate.report.SummaryJson;
import io.pgmigrate.report.SummaryTable;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pg-migrate [options]}: migrate every user database and the global objects of one server to another. */
@Command(name = "pg-migrate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Moves every user database of a PostgreSQL server, with the roles and other global objects, onto "
                    + "another server, several databases at once: the schema through pg_dump/pg_restore, the table "
                    + "data piped COPY to COPY between the servers (--mode stream, the default) or dumped to files "
                    + "with pg_dump -j and restored with pg_restore -j (--mode dump). It verifies the row counts, "
                    + "and resumes where it stopped when run again.",
            "Every option can also be set by an environment variable: --from-host as PGMIGRATE_FROM_HOST, "
                    + "--dump-jobs as PGMIGRATE_DUMP_JOBS, and so on."},
        subcommands = {DemoCommand.class, VerifyCommand.class, RevertSettingsCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every database migrated and verified",
            "1:unexpected internal error (a bug)",
            "2:bad command line or option value",
            "3:environment: client tools, versions, not a superuser, a standby target, a standby source before 10 "
                    + "replaying or with unlogged tables, a closed source database, the dump folder, connection "
                    + "slots, target database exists, a server's error during the checks",
            "4:a server could not be reached, refused the login or went away",
            "5:state folder belongs to another source/target or is in use",
            "6:one or more databases (or global objects) failed",
            "7:verification found differences",
            "130:interrupted (Ctrl-C)",
            "143:terminated (SIGTERM)"})
public final class MigrateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Mixin
    RunOptions run = new RunOptions();

    @Mixin
    OutputOptions output = new OutputOptions();

    @Override
    public Integer call() {
        output.apply();
        MigrationConfig config = config();
        return execute(config, System.out);
    }

    /** Runs a migration with this config and prints the summary; used by the demo as well. */
    static int execute(MigrationConfig config, PrintStream out) {
        try {
            Files.createDirectories(config.migrateStateDir().resolve("logs"));
        } catch (java.io.IOException e) {
            throw MigrationException.state("cannot create the state folder " + config.migrateStateDir() + ": "
                    + e.getMessage(), e);
        }
        Path logFile = Logging.fileIn(config.migrateStateDir().resolve("logs"));
        Cancellation cancellation = new Cancellation();
        cancellation.installSignalHandlers();
        Orchestrator orchestrator = new Orchestrator(config, cancellation);
        ExitCode code;
        try {
            code = orchestrator.run();
        } catch (MigrationException e) {
            if (!orchestrator.report().databases().isEmpty()) {
                printSummary(orchestrator.report(), config, e.exitCode(), out);
            }
            throw e;
        }
        printSummary(orchestrator.report(), config, code, out);
        out.println("Log: " + logFile);
        return code.code();
    }

    private static void printSummary(RunReport report, MigrationConfig config, ExitCode code, PrintStream out) {
        report.finished();
        out.print(SummaryTable.render(report));
        out.flush();
        SummaryJson.write(config.migrateStateDir().resolve("summary.json"), report, code.code());
    }

    MigrationConfig config() {
        Path home = home();
        Path stateBase = run.stateDir != null ? run.stateDir : home;
        Path dumpRoot = run.dumpRoot != null ? run.dumpRoot : home.resolve("pg_dumps");
        return new MigrationConfig(connection.source(), connection.target(), run.limits(), explicitKnobs(),
                dumpRoot.toAbsolutePath(), stateBase.resolve("pg_migrate_state").toAbsolutePath(),
                stateBase.resolve("pg_verify_state").toAbsolutePath(), run.migrateGlobals,
                !run.disableDstOptimizations, run.fastVerify, !run.skipAnalyze, run.delayTableData, run.allowUnmatchedDelay,
                run.includeDatabases, run.excludeDatabases, Optional.ofNullable(run.pgBin), run.compression,
                io.pgmigrate.verify.RowCheck.parse("--verify", run.verify) == io.pgmigrate.verify.RowCheck.CHECKSUM,
                run.noTablespaces, run.tablespaceLocations, run.transfer());
    }

    /** The reference takes HOME from the environment; so do we (Java's user.home ignores it). */
    static Path home() {
        String home = System.getenv("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"));
    }

    private Set<String> explicitKnobs() {
        Set<String> explicit = new HashSet<>();
        var parsed = spec.commandLine().getParseResult();
        EnvironmentDefaults env = (EnvironmentDefaults) spec.commandLine().getDefaultValueProvider();
        for (String knob : RunOptions.KNOBS) {
            if (parsed.hasMatchedOption(knob) || (env != null && env.provided(knob))) {
                explicit.add(knob);
            }
        }
        if (explicit.contains("--max-parallel")) {
            explicit.add("--dump-parallel");
            explicit.add("--restore-parallel");
        }
        return explicit;
    }
}
