package io.pgmigrate.postgres;

import io.pgmigrate.MigrationException;
import io.pgmigrate.config.Endpoint;
import java.io.IOException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Turns the ways a login fails, and the errors a server raises for the tool's own queries, into one line that says
 * what is wrong and what to do.
 */
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
     * An error a server raised while the tool was {@code doing} something (e.g. "checking the extensions"): exit 4
     * only when a server went away or refused the connection (SQLSTATE classes 08, 28 and 57P, too many clients),
     * else exit 3; one line with the server's message, detail and hint, and advice for the usual causes.
     */
    public static MigrationException sqlError(String doing, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String error = doing + ": the server said [" + (state.isEmpty() ? "no SQLSTATE" : state) + "] " + oneLine(e);
        if (lostConnection(state)) {
            return MigrationException.connection(error + "; check that both servers are running and reachable, and "
                    + "run again", e);
        }
        return MigrationException.environment(error + "; " + advice(state), e);
    }

    /** Connection exceptions, login refusals, a shutdown or restart, too many clients. */
    static boolean lostConnection(String state) {
        return state.startsWith("08") || state.startsWith("28") || state.startsWith("57P") || state.equals("53300");
    }

    private static String advice(String state) {
        return switch (state) {
            case "57014" -> "a statement_timeout (in the server's or the user's settings, or in PGOPTIONS) or an "
                    + "administrator cancelled the query: run again with PGOPTIONS='-c statement_timeout=0'";
            case "55P03" -> "another session holds a lock the query waited for longer than lock_timeout: end that "
                    + "session, or raise lock_timeout (PGOPTIONS='-c lock_timeout=0')";
            case "42501" -> "the user lacks a privilege: connect as a superuser (--from-user, --to-user)";
            default -> "fix that on the server (its log may say more) and run again";
        };
    }

    /**
     * A server's error as one line: its message, then its detail and hint, joined with "; " (pgjdbc puts each on a
     * line of its own, with the context and position, which are left out).
     */
    public static String oneLine(SQLException e) {
        if (e instanceof PSQLException psql && psql.getServerErrorMessage() != null
                && psql.getServerErrorMessage().getMessage() != null) {
            ServerErrorMessage m = psql.getServerErrorMessage();
            return Stream.of(m.getMessage(), m.getDetail(), m.getHint()).filter(s -> s != null && !s.isBlank())
                    .map(s -> s.strip().replaceAll("\\s*\\n\\s*", " ")).collect(Collectors.joining("; "));
        }
        return oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    /** A message that may hold pgjdbc's multi-line text (a wrapped server error), its lines joined with "; ". */
    public static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\n\\s*", "; ");
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
