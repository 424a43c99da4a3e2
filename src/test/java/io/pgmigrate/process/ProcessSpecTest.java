package io.pgmigrate.process;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcessSpecTest {

    @Test
    void redactedQuotesLikeAShellAndListsOnlyEnvKeys() {
        ProcessSpec spec = ProcessSpec.of("pg_dump", List.of("/usr/lib/postgresql/15/bin/pg_dump", "-Fd", "-j", "4",
                        ConnInfo.of("127.0.0.1", 5432, "postgres", "a'b c").dbnameArg(), "--file=/tmp/dump 1", ""))
                .withEnv("PGPASSWORD", "s3cret").withEnv("PGOPTIONS", "-c statement_timeout=0");
        assertThat(spec.redacted()).isEqualTo("/usr/lib/postgresql/15/bin/pg_dump -Fd -j 4"
                + " '--dbname=host='\\''127.0.0.1'\\'' port='\\''5432'\\'' user='\\''postgres'\\'' dbname='\\''a\\'\\''b c'\\''"
                + " application_name='\\''pg-migrate'\\'' keepalives='\\''1'\\'' keepalives_idle='\\''60'\\''"
                + " keepalives_interval='\\''10'\\'' keepalives_count='\\''6'\\'''"
                + " '--file=/tmp/dump 1' '' [env: PGOPTIONS, PGPASSWORD]");
        assertThat(spec.redacted()).doesNotContain("s3cret").doesNotContain("statement_timeout");
        assertThat(spec.toString()).doesNotContain("s3cret").contains("[env: PGOPTIONS, PGPASSWORD]");
    }

    @Test
    void secretStdinIsNeverShown() {
        ProcessSpec spec = ProcessSpec.of("psql", List.of("psql", "-f", "-")).withStdin("ALTER ROLE x PASSWORD 'p'");
        assertThat(spec.toString()).isEqualTo("ProcessSpec[psql -f -]");
    }

    @Test
    void masksAPasswordThatSlippedIntoAnArgument() {
        ProcessSpec spec = ProcessSpec.of("psql", List.of("psql", "--dbname=host=h password='p w\\'x' dbname=d",
                "postgresql://u:pw@h/db"));
        assertThat(spec.redacted()).doesNotContain("p w").doesNotContain(":pw@")
                .contains("password=****").contains("postgresql://u:****@h/db");
    }

    @Test
    void buildsStreamsChoices() {
        ProcessSpec spec = ProcessSpec.of("pg_dumpall", List.of("pg_dumpall", "--globals-only"));
        assertThat(spec.stdout()).isInstanceOf(ProcessSpec.Stdout.Discard.class);
        assertThat(spec.capturingStdout().capturesStdout()).isTrue();
        assertThat(spec.withStdoutTo(Path.of("/tmp/x")).stdout()).isEqualTo(new ProcessSpec.Stdout.ToFile(Path.of("/tmp/x")));
        assertThat(spec.withStderrLog(Path.of("/tmp/log")).withWorkingDir(Path.of("/tmp")))
                .satisfies(s -> {
                    assertThat(s.stderrLog()).isEqualTo(Path.of("/tmp/log"));
                    assertThat(s.workingDir()).isEqualTo(Path.of("/tmp"));
                });
        assertThatThrownBy(() -> ProcessSpec.of("x", List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
