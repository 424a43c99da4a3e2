package io.pgmigrate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmigrate.MigrationException;
import org.junit.jupiter.api.Test;

class TransferOptionsTest {
    @Test
    void sizes() {
        assertThat(TransferOptions.parseSize("128MB")).isEqualTo(128L << 20);
        assertThat(TransferOptions.parseSize("2gb")).isEqualTo(2L << 30);
        assertThat(TransferOptions.parseSize(" 512 kB ")).isEqualTo(512L << 10);
        assertThat(TransferOptions.parseSize("0")).isZero();
        assertThat(TransferOptions.parseSize("4096")).isEqualTo(4096);
        assertThatThrownBy(() -> TransferOptions.parseSize("1.5GB")).isInstanceOf(MigrationException.class)
                .hasMessageContaining("--split-tables-larger-than");
        assertThatThrownBy(() -> TransferOptions.parseSize("99999999999TB")).isInstanceOf(MigrationException.class);
    }

    @Test
    void modesAndFormats() {
        assertThat(TransferOptions.Mode.parse("Stream")).isEqualTo(TransferOptions.Mode.STREAM);
        assertThatThrownBy(() -> TransferOptions.Mode.parse("online")).hasMessageContaining("dump or stream");
        assertThat(TransferOptions.CopyFormat.parse("text")).isEqualTo(TransferOptions.CopyFormat.TEXT);
        assertThat(TransferOptions.dump().stream()).isFalse();
        assertThat(TransferOptions.defaults().stream()).isTrue();
        assertThat(new TransferOptions(null, null, null).mode()).as("no mode given: the default")
                .isEqualTo(TransferOptions.Mode.STREAM);
        assertThat(new TransferOptions(TransferOptions.Mode.STREAM, null, null).tableJobs(new Limits(1, 3, 1, 2, 1)))
                .isEqualTo(6);
        assertThat(new TransferOptions(TransferOptions.Mode.STREAM, null, null).indexJobs(new Limits(1, 3, 1, 2, 1)))
                .as("--index-jobs not given: restore_parallel x restore_jobs").isEqualTo(6);
        TransferOptions given = new TransferOptions(TransferOptions.Mode.STREAM, 4, null, 0, 1);
        assertThat(given.indexJobs(new Limits(1, 3, 1, 2, 1))).isEqualTo(1);
        assertThat(given.withTableJobs(2).indexJobs(new Limits(1, 3, 1, 2, 1))).as("kept by the budget's fit")
                .isEqualTo(1);
        assertThatThrownBy(() -> new TransferOptions(TransferOptions.Mode.STREAM, null, null, 0, 0))
                .hasMessageContaining("--index-jobs must be at least 1");
    }
}
