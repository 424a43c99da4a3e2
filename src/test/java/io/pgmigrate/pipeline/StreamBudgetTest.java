package io.pgmigrate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmigrate.config.Limits;
import io.pgmigrate.config.MigrationConfig;
import io.pgmigrate.config.TransferOptions;
import io.pgmigrate.config.TransferOptions.CopyFormat;
import io.pgmigrate.config.TransferOptions.Mode;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StreamBudgetTest {
    private static final Limits LIMITS = new Limits(2, 4, 2, 2, 4);

    private static MigrationConfig config(TransferOptions transfer) {
        var endpoint = new io.pgmigrate.config.Endpoint("source", "h", 1, "u", null, "postgres");
        return new MigrationConfig(endpoint, endpoint.withDatabase("postgres"), LIMITS, Set.of(), Path.of("d"),
                Path.of("m"), Path.of("v"), true, true, false, true, List.of(), false, List.of(), List.of(),
                Optional.empty(), "auto", false, false, java.util.Map.of(), transfer);
    }

    @Test
    void needsPerSide() {
        // source: 2 × 2 + 2 × (1 + 4) + 4 + 2; target: 2 × (4 copies + 4 index builds) + 4 + 2
        assertThat(StreamBudget.sourceNeed(LIMITS, 4)).isEqualTo(20);
        assertThat(StreamBudget.targetNeed(LIMITS, 4)).isEqualTo(22);
        assertThat(StreamBudget.targetNeed(LIMITS, 8)).isEqualTo(30);
    }

    @Test
    void dumpModeIsLeftAlone() {
        MigrationConfig c = config(TransferOptions.dump());
        assertThat(StreamBudget.apply(c, 1, 1)).isSameAs(c);
    }

    @Test
    void defaultTableJobsFollowRestoreJobsAndShrinkToFit() {
        assertThat(StreamBudget.apply(config(new TransferOptions(Mode.STREAM, null, CopyFormat.AUTO)), 100, 100)
                .transfer().tableJobs()).isEqualTo(4);
        assertThat(StreamBudget.apply(config(new TransferOptions(Mode.STREAM, null, CopyFormat.AUTO)), 16, 100)
                .transfer().tableJobs()).isEqualTo(2);
        // target: 2 × (2 + 4) + 6 = 18
        assertThat(StreamBudget.apply(config(new TransferOptions(Mode.STREAM, null, CopyFormat.AUTO)), 100, 18)
                .transfer().tableJobs()).isEqualTo(2);
    }

    @Test
    void givenTableJobsAreNeverChanged() {
        assertThatThrownBy(() -> StreamBudget.apply(config(new TransferOptions(Mode.STREAM, 8, CopyFormat.AUTO)),
                100, 20)).hasMessageContaining("--table-jobs 8").hasMessageContaining("target");
        assertThat(StreamBudget.apply(config(new TransferOptions(Mode.STREAM, 8, CopyFormat.AUTO)), 100, 100)
                .transfer().tableJobs()).isEqualTo(8);
    }
}
