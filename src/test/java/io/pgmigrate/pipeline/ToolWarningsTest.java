package io.pgmigrate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ToolWarningsTest {
    @Test
    void onlyTheToolsWarningLines() {
        String log = String.join("\n",
                "pg_dump: warning: WITH OIDS is not supported anymore (table \"legacy\")",
                "pg_dump: error: not a warning",
                "pg_restore: warning: another tool's",
                "  pg_dump: warning: indented: not pg_dump's own line",
                "pg_dump: warning: there are circular foreign-key constraints on this table:",
                "pg_dump: detail: t");
        assertThat(ToolWarnings.parse(log, "pg_dump")).containsExactly(
                "pg_dump: WITH OIDS is not supported anymore (table \"legacy\")",
                "pg_dump: there are circular foreign-key constraints on this table:");
    }

    @Test
    void aMissingLogHasNoWarnings() {
        assertThat(ToolWarnings.of(Path.of("/nonexistent/pg_dump.log"), "pg_dump")).isEmpty();
    }
}
