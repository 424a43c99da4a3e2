package io.pgmigrate.cli;

import io.pgmigrate.ExitCode;
import io.pgmigrate.MigrationException;
import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Builds the command line, maps every error to one line and an exit code, and exits with it. */
public final class Main {
    private static final Pattern LONG_OPTION = Pattern.compile("--[a-z][a-z-]*[a-z]");
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
        return commandLine(System.getenv());
    }

    static CommandLine commandLine(Map<String, String> environment) {
        CommandLine cl = new CommandLine(new MigrateCommand());
        cl.setDefaultValueProvider(new EnvironmentDefaults(environment));
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) ->
                report(e, commandLine, parseResult::hasMatchedOption, parseResult.originalArgs()));
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine commandLine = e.getCommandLine();
            String message = withEnvironmentSource(e.getMessage(), commandLine, option -> typed(option, args));
            commandLine.getErr().println("pg-migrate: " + PasswordArguments.redact(message, args)
                    + " (see pg-migrate --help)");
            return ExitCode.USAGE.code();
        });
        return cl;
    }

    /**
     * A usage error about an option the user did not type says which variable its value came from, or the user is
     * left looking for a {@code --dump-jobs} that is not on the command line: "--dump-jobs must be at least 1
     * (got 0) (from PGMIGRATE_DUMP_JOBS)".
     */
    static String withEnvironmentSource(String message, CommandLine cl, Predicate<OptionSpec> typed) {
        if (message == null || !(cl.getDefaultValueProvider() instanceof EnvironmentDefaults env)) {
            return message;
        }
        Set<String> variables = new LinkedHashSet<>();
        Matcher m = LONG_OPTION.matcher(message);
        while (m.find()) {
            OptionSpec option = cl.getCommandSpec().findOption(m.group());
            if (option != null && env.provided(option.longestName()) && !typed.test(option)) {
                variables.add(EnvironmentDefaults.variableFor(option.longestName()));
            }
        }
        return variables.isEmpty() ? message : message + " (from " + String.join(", ", variables) + ")";
    }

    private static boolean typed(OptionSpec option, String[] args) {
        for (String arg : args) {
            for (String name : option.names()) {
                if (arg.equals(name) || arg.startsWith(name + "=") || (!name.startsWith("--") && arg.startsWith(name))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int report(Exception e, CommandLine commandLine, Predicate<OptionSpec> typed, List<String> args) {
        PrintWriter err = commandLine.getErr();
        if (e instanceof MigrationException m) {
            String message = m.exitCode() == ExitCode.USAGE ? PasswordArguments.redact(
                    withEnvironmentSource(m.getMessage(), commandLine, typed), args.toArray(String[]::new))
                    : m.getMessage();
            err.println("pg-migrate: " + message);
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
