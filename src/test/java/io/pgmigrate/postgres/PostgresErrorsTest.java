package io.pgmigrate.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmigrate.ExitCode;
import io.pgmigrate.MigrationException;
import io.pgmigrate.config.Endpoint;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

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
}
