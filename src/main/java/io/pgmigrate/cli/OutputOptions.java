package io.pgmigrate.cli;

import io.pgmigrate.MigrationException;
import io.pgmigrate.report.Logging;
import picocli.CommandLine.Option;

/** How much the tool says. */
public final class OutputOptions {
    @Option(names = "--log-level", defaultValue = "info",
            description = "Console log level: error, warn, info, debug or trace (default: ${DEFAULT-VALUE}). "
                    + "The run's log file in the state folder always has debug.")
    String logLevel;

    @Option(names = "--debug", description = "Print stack traces with errors (and log at debug level).")
    boolean debug;

    void apply() {
        if (!Logging.isLevel(logLevel)) {
            throw MigrationException.usage("--log-level must be error, warn, info, debug or trace (got '" + logLevel
                    + "')");
        }
        Logging.consoleLevel(debug ? "debug" : logLevel);
        Main.showStackTraces(debug);
    }
}
