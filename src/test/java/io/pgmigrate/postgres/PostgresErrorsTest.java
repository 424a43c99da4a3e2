package io.pgmigrate.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmigrate.ExitCode;
import io.pgmigrate.MigrationException;
import io.pgmigrate.config.Endpoint;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.postgresql.util.ServerErrorMessage;

class PostgresErrorsTest {
    private static final Endpoint SOURCE = new Endpoint("source", "db.example", 5433, "postgres", "pw", "postgres");
    private static final Endpoint TARGET = new Endpoint("target", "db.example", 5434, "postgres", "pw", "postgres");

    private static String message(Endpoint server, PSQLException e) {
        MigrationException m = PostgresErrors.connectionFailed(server, "postgres", e);
        assertThat(m.exitCode()).isEqualTo(ExitCode.CONNECTION);
        assertThat(m.getMessage()).doesNotContain("\n");
        return m.getMessage();
    }

    @Test
    void anUnknownHostIsNamedAsSuchNotAsPgjdbcsVagueAttemptFailed() {
        String m = message(SOURCE, new PSQLException("The connection attempt failed.",
                PSQLState.CONNECTION_UNABLE_TO_CONNECT, new UnknownHostException("db.example")));
        assertThat(m).isEqualTo("cannot reach the source at db.example:5433 (unknown host); "
                + "check --from-host/--from-port and that the server is running");
    }

    @Test
    void aRefusedConnectionSaysSoOnceWithoutPgjdbcsOwnAdvice() {
        String m = message(TARGET, new PSQLException("Connection to db.example:5434 refused. Check that the hostname "
                + "and port are correct and that the postmaster is accepting TCP/IP connections.",
                PSQLState.CONNECTION_UNABLE_TO_CONNECT, new ConnectException("Connection refused")));
        assertThat(m).isEqualTo("cannot reach the target at db.example:5434 (connection refused); "
                + "check --to-host/--to-port and that the server is running");
    }

    @Test
    void aTimeoutAndAnErrorWithoutCauseKeepTheirOwnWords() {
        assertThat(message(SOURCE, new PSQLException("The connection attempt failed.",
                PSQLState.CONNECTION_UNABLE_TO_CONNECT, new SocketTimeoutException("Connect timed out"))))
                .contains("(connect timed out)");
        assertThat(message(SOURCE, new PSQLException("Something odd.", PSQLState.CONNECTION_FAILURE)))
                .contains("(Something odd)");
    }

    @Test
    void aWrongPasswordNamesTheOptionAndTheVariable() {
        String m = message(TARGET, new PSQLException("FATAL: password authentication failed for user \"postgres\"",
                PSQLState.INVALID_PASSWORD));
        assertThat(m).contains("password authentication failed").contains("--to-pass").contains("PGMIGRATE_TO_PASS");
    }

    /** The wire form of a server's ErrorResponse: pgjdbc's own parser builds what a server's error holds. */
    private static PSQLException serverError(String sqlState, String message, String detail, String hint) {
        return new PSQLException(new ServerErrorMessage("SERROR\0VERROR\0C" + sqlState + "\0M" + message + "\0"
                + (detail == null ? "" : "D" + detail + "\0") + (hint == null ? "" : "H" + hint + "\0")
                + "Wsome PL/pgSQL context\0"));
    }

    @Test
    void aServerErrorIsOneLineWithItsDetailAndHintAndExit3() {
        PSQLException e = serverError("42501", "permission denied for table pg_authid", "It is the roles' table.",
                "Ask a superuser.");
        assertThat(e.getMessage()).as("pgjdbc's own message is several lines").contains("\n");
        MigrationException m = PostgresErrors.sqlError("checking the extensions", e);
        assertThat(m.exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
        assertThat(m.getMessage()).isEqualTo("checking the extensions: the server said [42501] permission denied for "
                + "table pg_authid; It is the roles' table.; Ask a superuser.; the user lacks a privilege: connect as a "
                + "superuser (--from-user, --to-user)");
        assertThat(PostgresErrors.sqlError("x", serverError("57014", "canceling statement due to statement timeout",
                null, null)).getMessage()).isEqualTo("x: the server said [57014] canceling statement due to statement "
                + "timeout; a statement_timeout (in the server's or the user's settings, or in PGOPTIONS) or an "
                + "administrator cancelled the query: run again with PGOPTIONS='-c statement_timeout=0'");
    }

    /** Exit 4 only for a server that went away or refused us, not for every error a statement meets. */
    @Test
    void onlyALostConnectionIsExit4() {
        assertThat(PostgresErrors.sqlError("x", serverError("57P01", "terminating connection due to administrator "
                + "command", null, null)).exitCode()).isEqualTo(ExitCode.CONNECTION);
        assertThat(PostgresErrors.sqlError("x", new PSQLException("An I/O error occurred while sending to the backend.",
                PSQLState.CONNECTION_FAILURE)).exitCode()).isEqualTo(ExitCode.CONNECTION);
        for (String state : List.of("42501", "57014", "55P03", "42883", "XX000")) {
            assertThat(PostgresErrors.sqlError("x", serverError(state, "m", null, null)).exitCode()).as(state)
                    .isEqualTo(ExitCode.ENVIRONMENT);
        }
        assertThat(PostgresErrors.sqlError("x", new SQLException("odd\n  second line")).getMessage())
                .isEqualTo("x: the server said [no SQLSTATE] odd; second line; fix that on the server (its log may "
                        + "say more) and run again");
    }
}
