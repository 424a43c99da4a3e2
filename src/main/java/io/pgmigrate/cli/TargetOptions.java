package io.pgmigrate.cli;

import io.pgmigrate.config.Endpoint;
import picocli.CommandLine.Option;

/** Where the target is; its password as in {@link ConnectionOptions}. */
public final class TargetOptions {
    static final String TARGET_DEFAULT_PASSWORD = "newpass";

    @Option(names = "--to-host", defaultValue = "localhost", description = "Target host (default: ${DEFAULT-VALUE}).")
    String toHost;

    @Option(names = "--to-port", defaultValue = "5432", description = "Target port (default: ${DEFAULT-VALUE}).")
    int toPort;

    @Option(names = "--to-user", defaultValue = "postgres", description = "Target user, a superuser, or on 15+ a "
            + "role with CREATEROLE and CREATEDB (a managed target) (default: ${DEFAULT-VALUE}).")
    String toUser;

    @Option(names = "--to-pass", description = "Target password. Prefer PGMIGRATE_TO_PASS or ~/.pgpass: a "
            + "command line is visible to every user of the machine (default: the password file, else 'newpass').")
    String toPass;

    @Option(names = "--to-db", defaultValue = "postgres",
            description = "Target database used for settings, globals and CREATE DATABASE (default: ${DEFAULT-VALUE}).")
    String toDb;

    public Endpoint target() {
        ConnectionOptions.requirePort("--to-port", toPort);
        return new Endpoint("target", toHost, toPort, toUser,
                ConnectionOptions.password(toPass, toHost, toPort, toDb, toUser, TARGET_DEFAULT_PASSWORD), toDb);
    }
}
