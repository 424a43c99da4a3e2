package io.pgmigrate.process;

import io.pgmigrate.ExitCode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ToolFailedExceptionTest {

    @Test
    void messageNamesToolExitCodeAndTheLastErrorLine() {
        List<String> stderr = List.of(
                "pg_dump: error: query failed: ERROR:  permission denied for table t",
                "pg_dump: detail: Query was: LOCK TABLE public.t IN ACCESS SHARE MODE");
        ToolFailedException e = new ToolFailedException("pg_dump", 1, stderr);
        assertThat(e).hasMessage("pg_dump failed (exit 1): pg_dump: error: query failed: ERROR:  permission denied"
                + " for table t");
        assertThat(e.tool()).isEqualTo("pg_dump");
        assertThat(e.toolExitCode()).isEqualTo(1);
        assertThat(e.stderrTail()).isEqualTo(stderr);
        assertThat(e.exitCode()).isEqualTo(ExitCode.DATABASES_FAILED);
    }

    @Test
    void fallsBackToTheLastNonBlankLine() {
        assertThat(new ToolFailedException("psql", 2, List.of("something odd", "  ", "")))
                .hasMessage("psql failed (exit 2): something odd");
        assertThat(new ToolFailedException("psql", 3, List.of())).hasMessage("psql failed (exit 3) with no error output");
    }

    @Test
    void picksTheLastOfSeveralErrors() {
        assertThat(ToolFailedException.lastErrorLine(List.of(
                "pg_restore: error: could not execute query: ERROR:  role \"a\" does not exist",
                "Command was: ALTER TABLE x OWNER TO a;",
                "pg_restore: error: could not execute query: ERROR:  role \"b\" does not exist",
                "Command was: ALTER TABLE y OWNER TO b;",
                "pg_restore: warning: errors ignored on restore: 2")))
                .isEqualTo("pg_restore: error: could not execute query: ERROR:  role \"b\" does not exist");
        assertThat(ToolFailedException.lastErrorLine(List.of("psql: FATAL:  database \"x\" does not exist")))
                .isEqualTo("psql: FATAL:  database \"x\" does not exist");
    }

    /**
     * pg_dump 15's stderr, captured from a 15 source with max_locks_per_transaction 10 while another session held
     * most of the lock table: the first line alone said nothing of what to do.
     */
    @Test
    void theServersHintOnTheLineAfterTheErrorIsKept() {
        List<String> stderr = List.of(
                "pg_dump: error: query failed: ERROR:  out of shared memory",
                "HINT:  You might need to increase max_locks_per_transaction.",
                "pg_dump: detail: Query was: LOCK TABLE public.t614 IN ACCESS SHARE MODE");
        assertThat(new ToolFailedException("pg_dump", 1, stderr)).hasMessage("pg_dump failed (exit 1): pg_dump: "
                + "error: query failed: ERROR:  out of shared memory; HINT: You might need to increase "
                + "max_locks_per_transaction.");
        assertThat(ToolFailedException.lastErrorLine(List.of("pg_restore: error: could not execute query: ERROR:  x",
                "Command was: SELECT 1;", "HINT:  not this error's"))).endsWith("ERROR:  x");
    }

    @Test
    void requireSuccessThrowsOnlyOnFailure() {
        ProcessRunner.Result ok = new ProcessRunner.Result("psql", 0, "1", List.of(), Duration.ofMillis(5));
        assertThat(ok.requireSuccess()).isSameAs(ok);
        ProcessRunner.Result failed = new ProcessRunner.Result("psql", 1, null,
                List.of("psql: error: connection to server failed"), Duration.ofMillis(5));
        assertThatThrownBy(failed::requireSuccess).isInstanceOf(ToolFailedException.class)
                .hasMessage("psql failed (exit 1): psql: error: connection to server failed");
    }
}
