package io.pgmigrate.cli;

import io.pgmigrate.MigrationException;
import io.pgmigrate.config.Endpoint;
import org.postgresql.jdbcurlresolver.PgPassParser;
import picocli.CommandLine.Option;

/**
 * Where the source and the target are. Passwords come, in this order, from {@code --from-pass}/{@code --to-pass},
 * from {@code PGMIGRATE_FROM_PASS}/{@code PGMIGRATE_TO_PASS}, from the password file ({@code PGPASSFILE} or
 * {@code ~/.pgpass}), and last from the reference tool's defaults ("oldpass"/"newpass").
 */
public final class ConnectionOptions {
    static final String SOURCE_DEFAULT_PASSWORD = "oldpass";
    static final String TARGET_DEFAULT_PASSWORD = "newpass";

    @Option(names = "--from-host", defaultValue = "localhost", description = "Source host (default: ${DEFAULT-VALUE}).")
    String fromHost;

    @Option(names = "--from-port", defaultValue = "5432", description = "Source port (default: ${DEFAULT-VALUE}).")
    int fromPort;

    @Option(names = "--from-user", defaultValue = "postgres", description = "Source user, a superuser (default: ${DEFAULT-VALUE}).")
    String fromUser;

    @Option(names = "--from-pass", description = "Source password. Prefer PGMIGRATE_FROM_PASS or ~/.pgpass: "
            + "a command line is visible to every user of the machine (default: the password file, else 'oldpass').")
    String fromPass;

    @Option(names = "--from-db", defaultValue = "postgres",
            description = "Source database used for discovery and globals (default: ${DEFAULT-VALUE}); "
                    + "migrated only when --include-db names it.")
    String fromDb;

    @Option(names = "--to-host", defaultValue = "localhost", description = "Target host (default: ${DEFAULT-VALUE}).")
    String toHost;

    @Option(names = "--to-port", defaultValue = "5432", description = "Target port (default: ${DEFAULT-VALUE}).")
    int toPort;

    @Option(names = "--to-user", defaultValue = "postgres", description = "Target user, a superuser (default: ${DEFAULT-VALUE}).")
    String toUser;

    @Option(names = "--to-pass", description = "Target password; as --from-pass (PGMIGRATE_TO_PASS, ~/.pgpass, else 'newpass').")
    String toPass;

    @Option(names = "--to-db", defaultValue = "postgres",
            description = "Target database used for settings, globals and CREATE DATABASE (default: ${DEFAULT-VALUE}).")
    String toDb;

    public Endpoint source() {
        requirePort("--from-port", fromPort);
        return new Endpoint("source", fromHost, fromPort, fromUser,
                password(fromPass, fromHost, fromPort, fromDb, fromUser, SOURCE_DEFAULT_PASSWORD), fromDb);
    }

    public Endpoint target() {
        requirePort("--to-port", toPort);
        return new Endpoint("target", toHost, toPort, toUser,
                password(toPass, toHost, toPort, toDb, toUser, TARGET_DEFAULT_PASSWORD), toDb);
    }

    private static void requirePort(String option, int port) {
        if (port < 1 || port > 65535) {
            throw MigrationException.usage(option + " must be from 1 to 65535 (got " + port + ")");
        }
    }

    private static String password(String given, String host, int port, String db, String user, String fallback) {
        if (given != null) {
            return given;
        }
        String fromFile = PgPassParser.getPassword(host, Integer.toString(port), db, user);
        return fromFile != null ? fromFile : fallback;
    }
}
