package io.pgmigrate;

/**
 * The one unchecked exception of the tool: it carries the exit code the process ends with and a message meant for
 * the operator (one line, what is wrong and what to do). Subclasses say what kind of failure it is.
 */
public class MigrationException extends RuntimeException {
    private final ExitCode exitCode;

    public MigrationException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public MigrationException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    /** Bad command line or option values. */
    public static MigrationException usage(String message) {
        return new MigrationException(ExitCode.USAGE, message);
    }

    /** Something about this machine or the servers' set-up: tools, versions, connection slots, target not empty. */
    public static MigrationException environment(String message) {
        return new MigrationException(ExitCode.ENVIRONMENT, message);
    }

    public static MigrationException environment(String message, Throwable cause) {
        return new MigrationException(ExitCode.ENVIRONMENT, message, cause);
    }

    /** A server cannot be reached or refuses us. */
    public static MigrationException connection(String message, Throwable cause) {
        return new MigrationException(ExitCode.CONNECTION, message, cause);
    }

    /** The state folder belongs to another run, is locked, or is unreadable. */
    public static MigrationException state(String message) {
        return new MigrationException(ExitCode.STATE, message);
    }

    public static MigrationException state(String message, Throwable cause) {
        return new MigrationException(ExitCode.STATE, message, cause);
    }
}
