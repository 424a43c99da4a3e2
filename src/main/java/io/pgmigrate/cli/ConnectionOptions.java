package io.pgmigrate.cli;

import io.pgmigrate.MigrationException;
import io.pgmigrate.config.Endpoint;
import org.postgresql.jdbcurlresolver.PgPassParser;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where the source and the target are. Passwords come, in this order, from {@code --from-pass}/{@code --to-pass},
 * from {@code PGMIGRATE_FROM_PASS}/{@code PGMIGRATE_TO_PASS}, from the password file ({@code PGPASSFILE} or
 * {@code ~/.pgpass}), and last from the reference tool's defaults ("oldpass"/"newpass").
 */
public final class ConnectionOptions {
    static final String SOURCE_DEFAULT_PASSWORD = "oldpass";

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

    @Mixin
    TargetOptions to = new TargetOptions();

    public Endpoint source() {
        requirePort("--from-port", fromPort);
        return new Endpoint("source", fromHost, fromPort, fromUser,
                password(fromPass, fromHost, fromPort, fromDb, fromUser, SOURCE_DEFAULT_PASSWORD), fromDb);
    }

    public Endpoint target() {
        return to.target();
    }

    static void requirePort(String option, int port) {
        if (port < 1 || port > 65535) {
            throw MigrationException.usage(option + " must be from 1 to 65535 (got " + port + ")");
        }
    }

    static String password(String given, String host, int port, String db, String user, String fallback) {
        if (given != null) {
            return given;
        }
        String fromFile = PgPassParser.getPassword(host, Integer.toString(port), db, user);
        return fromFile != null ? fromFile : fallback;
    }
}
