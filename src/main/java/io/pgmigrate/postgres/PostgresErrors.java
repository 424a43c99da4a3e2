package io.pgmigrate.postgres;

import io.pgmigrate.MigrationException;
import io.pgmigrate.config.Endpoint;
import java.io.IOException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Locale;

/** Turns the ways a login fails into one line that says what is wrong and what to do. */
public final class PostgresErrors {
    private PostgresErrors() {
    }

    public static MigrationException connectionFailed(Endpoint server, String database, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String side = server.role().equals("source") ? "--from" : "--to";
        String where = server.describe() + " (database \"" + database + "\")";
        String message = switch (state) {
            case "28P01" -> "password authentication failed for " + where + ": check " + side + "-pass, "
                    + "PGMIGRATE_" + (side.equals("--from") ? "FROM" : "TO") + "_PASS or the password file";
            case "28000" -> "the " + server.role() + " refused the login for " + where + ": "
                    + firstLine(e) + " (check pg_hba.conf and " + side + "-user)";
            case "3D000" -> "database \"" + database + "\" does not exist on the " + server.role() + " "
                    + server.host() + ":" + server.port() + "; check " + side + "-db";
            case "53300" -> "the " + server.role() + " " + server.host() + ":" + server.port()
                    + " has no free connection slot (too many clients); lower the parallelism or raise max_connections";
            case "57P03" -> "the " + server.role() + " " + server.host() + ":" + server.port()
                    + " is starting up or shutting down; try again when it accepts connections";
            default -> state.startsWith("08") || state.isEmpty()
                    ? "cannot reach the " + server.role() + " at " + server.host() + ":" + server.port() + " ("
                            + unreachableReason(e) + "); check " + side + "-host/" + side + "-port and that the "
                            + "server is running"
                    : "cannot connect to " + where + ": " + firstLine(e);
        };
        return MigrationException.connection(message, e);
    }

    /**
     * Why a server could not be reached, from the network error under pgjdbc's message: pgjdbc says only "The
     * connection attempt failed." for an unknown host, and adds advice of its own to a refused connection.
     */
    static String unreachableReason(SQLException e) {
        Throwable cause = e.getCause();
        if (cause instanceof UnknownHostException) {
            return "unknown host";
        }
        if (cause instanceof IOException && cause.getMessage() != null) {
            return firstLine(cause).toLowerCase(Locale.ROOT);
        }
        return firstLine(e).replaceFirst("\\.$", "");
    }

    static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
