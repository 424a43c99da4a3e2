package io.pgmigrate.cli;

import io.pgmigrate.ExitCode;
import io.pgmigrate.MigrationException;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Builds the command line, maps every error to one line and an exit code, and exits with it. */
public final class Main {
    private static volatile boolean stackTraces;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return commandLine().execute(args);
    }

    static void showStackTraces(boolean show) {
        stackTraces = show;
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new MigrateCommand());
        cl.setDefaultValueProvider(new EnvironmentDefaults(System.getenv()));
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> report(e, commandLine.getErr()));
        cl.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("pg-migrate: " + e.getMessage() + " (see pg-migrate --help)");
            return ExitCode.USAGE.code();
        });
        return cl;
    }

    private static int report(Exception e, PrintWriter err) {
        if (e instanceof MigrationException m) {
            err.println("pg-migrate: " + m.getMessage());
            if (stackTraces) {
                e.printStackTrace(err);
            }
            err.flush();
            return m.exitCode().code();
        }
        err.println("pg-migrate: unexpected error (a bug, please report it): " + e);
        e.printStackTrace(err);
        err.flush();
        return ExitCode.BUG.code();
    }
}
