package io.pgmigrate;

/** The process exit codes. Few, stable and documented in the README; never renumber one. */
public enum ExitCode {
    OK(0, "every database migrated and verified"),
    BUG(1, "unexpected internal error (a bug: please report it with the log)"),
    USAGE(2, "bad command line or option value"),
    ENVIRONMENT(3, "environment: client tools, versions, a login that is not a superuser, a standby target, a "
            + "standby source the run cannot read (before 10 and replaying, or with unlogged tables), a closed source "
            + "database, the dump folder, connection slots, a non-empty target, an error a server raised for the "
            + "tool's own queries"),
    CONNECTION(4, "a server could not be reached, refused the login or went away"),
    STATE(5, "state folder belongs to another source/target, or is in use by another run, or a database's markers "
            + "are not about the target database there now"),
    DATABASES_FAILED(6, "one or more databases failed (see the summary)"),
    VERIFICATION_FAILED(7, "verification found differences between source and target"),
    INTERRUPTED(130, "interrupted by Ctrl-C (SIGINT)"),
    TERMINATED(143, "terminated by SIGTERM");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }
}
