package io.pgmigrate.process;

import io.pgmigrate.ExitCode;
import io.pgmigrate.MigrationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DumpCompressionTest {

    private static final PgVersion PG15 = PgVersion.of(15, 18);
    private static final PgVersion PG16 = PgVersion.of(16, 4);
    private static final PgVersion PG96 = PgVersion.parse("9.6.24");

    @Test
    void autoIsZstdFrom16AndPgDumpsDefaultBefore() {
        assertThat(DumpCompression.argsFor(PG16, null)).containsExactly("--compress=zstd:5");
        assertThat(DumpCompression.argsFor(PgVersion.of(18), "auto")).containsExactly("--compress=zstd:5");
        assertThat(DumpCompression.argsFor(PG15, null)).isEmpty();
        assertThat(DumpCompression.argsFor(PG15, " ")).isEmpty();
        assertThat(DumpCompression.argsFor(PG96, "AUTO")).isEmpty();
    }

    @Test
    void noneIsLevelZeroBefore16() {
        assertThat(DumpCompression.argsFor(PG15, "none")).containsExactly("--compress=0");
        assertThat(DumpCompression.argsFor(PG16, "none")).containsExactly("--compress=none");
    }

    @Test
    void gzipLevelIsAPlainLevelBefore16() {
        assertThat(DumpCompression.argsFor(PG15, "gzip:5")).containsExactly("--compress=5");
        assertThat(DumpCompression.argsFor(PG15, "gzip:level=3")).containsExactly("--compress=3");
        assertThat(DumpCompression.argsFor(PG15, "gzip")).isEmpty();
        assertThat(DumpCompression.argsFor(PG15, "7")).containsExactly("--compress=7");
        assertThat(DumpCompression.argsFor(PG16, "gzip:5")).containsExactly("--compress=gzip:5");
        assertThat(DumpCompression.argsFor(PG16, "7")).containsExactly("--compress=7");
    }

    @Test
    void newMethodsPassThroughFrom16() {
        assertThat(DumpCompression.argsFor(PG16, "zstd:3")).containsExactly("--compress=zstd:3");
        assertThat(DumpCompression.argsFor(PG16, "lz4")).containsExactly("--compress=lz4");
        assertThat(DumpCompression.argsFor(PG16, "zstd:level=9,long")).containsExactly("--compress=zstd:level=9,long");
    }

    @Test
    void newMethodsAreRefusedBefore16WithAClearMessage() {
        assertThatThrownBy(() -> DumpCompression.argsFor(PG15, "zstd:3"))
                .isInstanceOf(MigrationException.class)
                .hasMessage("compression zstd needs pg_dump 16 or newer and this pg_dump is 15.18; choose gzip[:level]"
                        + " or none, or install postgresql-client-16 or newer")
                .extracting(e -> ((MigrationException) e).exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> DumpCompression.argsFor(PG16, "brotli"))
                .hasMessageContaining("unknown compression 'brotli'");
        assertThatThrownBy(() -> DumpCompression.argsFor(PG15, "gzip:12"))
                .hasMessageContaining("0 to 9");
        assertThatThrownBy(() -> DumpCompression.argsFor(PG15, "12")).hasMessageContaining("0 to 9");
        assertThatThrownBy(() -> DumpCompression.argsFor(PG15, "5:3")).hasMessageContaining("unknown compression");
    }
}
