package io.pgmigrate.process;

import io.pgmigrate.ExitCode;
import io.pgmigrate.MigrationException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientToolsTest {

    private static ClientTools tools(PgVersion v) {
        return tools(v, v);
    }

    private static ClientTools tools(PgVersion dump, PgVersion psql) {
        Path bin = Path.of("/opt/pg/bin");
        return new ClientTools(new ClientTools.Tool("pg_dump", bin.resolve("pg_dump"), dump),
                new ClientTools.Tool("pg_restore", bin.resolve("pg_restore"), dump),
                new ClientTools.Tool("pg_dumpall", bin.resolve("pg_dumpall"), dump),
                new ClientTools.Tool("psql", Path.of("/usr/bin/psql"), psql));
    }

    @Test
    void pgDumpMayBeNewerThanTheSource() {
        assertThatCode(() -> tools(PgVersion.of(15, 18)).requireCanDump(PgVersion.parse("9.6"))).doesNotThrowAnyException();
        assertThatCode(() -> tools(PgVersion.of(15, 18)).requireCanDump(PgVersion.of(15, 20))).doesNotThrowAnyException();
    }

    @Test
    void pgDumpOlderThanTheSourceIsRefusedInOneLine() {
        assertThatThrownBy(() -> tools(PgVersion.of(15, 18)).requireCanDump(PgVersion.fromServerVersionNum(160004)))
                .isInstanceOf(MigrationException.class)
                .hasMessage("pg_dump 15.18 cannot dump the PostgreSQL 16 source server (pg_dump must be as new as the"
                        + " server or newer); install postgresql-client-16 or newer, or pass --pg-bin DIR")
                .extracting(e -> ((MigrationException) e).exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
        assertThatThrownBy(() -> tools(PgVersion.parse("9.5.25")).requireCanDump(PgVersion.parse("9.6.24")))
                .hasMessageStartingWith("pg_dump 9.5 cannot dump the PostgreSQL 9.6 source server");
    }

    @Test
    void streamModeNeedsPgDump10ForNoBlobs() {
        assertThatThrownBy(() -> tools(PgVersion.parse("9.6.24")).requireCanStream())
                .isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("stream mode needs pg_dump 10 or later")
                .hasMessageEndingWith("; pass --pg-bin DIR with newer client tools, or use --mode dump")
                .extracting(e -> ((MigrationException) e).exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
        assertThatCode(() -> tools(PgVersion.of(10, 23)).requireCanStream()).doesNotThrowAnyException();
    }

    @Test
    void newPgDumpRefusesServersBefore92() {
        assertThatThrownBy(() -> tools(PgVersion.of(15, 18)).requireCanDump(PgVersion.parse("9.1")))
                .hasMessageContaining("pg_dump 15 and later read 9.2 and later");
    }

    @Test
    void toolsOfDifferentMajorsAreRefused() {
        assertThatThrownBy(() -> tools(PgVersion.of(16, 4), PgVersion.of(15, 18)))
                .isInstanceOf(MigrationException.class)
                .hasMessage("client tools of different versions: pg_dump 16.4 (/opt/pg/bin/pg_dump) but psql 15.18"
                        + " (/usr/bin/psql); put one PostgreSQL version's tools first in PATH or pass --pg-bin DIR");
        assertThatCode(() -> tools(PgVersion.of(15, 18), PgVersion.of(15, 2))).doesNotThrowAnyException();
    }

    @Test
    void compressionFollowsPgDumpsVersion() {
        assertThat(tools(PgVersion.of(17, 5)).compressionFor(null)).containsExactly("--compress=zstd:5");
        assertThat(tools(PgVersion.of(15, 18)).compressionFor("none")).containsExactly("--compress=0");
    }
}
