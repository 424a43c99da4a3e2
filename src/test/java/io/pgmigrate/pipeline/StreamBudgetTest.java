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
        return config(transfer, LIMITS, Set.of());
    }

    private static MigrationConfig config(TransferOptions transfer, Limits limits, Set<String> explicit) {
        var endpoint = new io.pgmigrate.config.Endpoint("source", "h", 1, "u", null, "postgres");
        return new MigrationConfig(endpoint, endpoint.withDatabase("postgres"), limits, explicit, Path.of("d"),
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
        Set<String> given = Set.of("--restore-parallel", "--dump-parallel", "--restore-jobs", "--verify-concurrency");
        assertThatThrownBy(() -> StreamBudget.apply(config(new TransferOptions(Mode.STREAM, 8, CopyFormat.AUTO),
                LIMITS, given), 100, 20)).hasMessageContaining("--table-jobs 8").hasMessageContaining("target");
        assertThat(StreamBudget.apply(config(new TransferOptions(Mode.STREAM, 8, CopyFormat.AUTO)), 100, 100)
                .transfer().tableJobs()).isEqualTo(8);
        // target: 2 × (8 + 4) + 6 = 30 > 20; --restore-parallel left at its default goes down instead: 1 × 12 + 6
        StreamBudget.Fit fit = StreamBudget.fit(config(new TransferOptions(Mode.STREAM, 8, CopyFormat.AUTO)), 100, 20);
        assertThat(fit.config().transfer().tableJobs()).isEqualTo(8);
        assertThat(fit.config().limits()).isEqualTo(LIMITS.withRestoreParallel(1));
        assertThat(fit.adjustment()).contains("--table-jobs 8").contains("--restore-parallel 1");
    }

    /** The defaults (after ConnectionBudget) on a source of max_connections 20: 16 free slots. */
    @Test
    void defaultKnobsBesidesTableJobsShrinkToFitASmallServer() {
        Limits afterDumpBudget = new Limits(2, 12, 2, 6, 6);
        // source: 2 × 2 + 6 × (1 + 1) + 6 + 2 = 24 > 16, even at one table job: 2 × 2 + 2 × 2 + 6 + 2 = 16 fits
        StreamBudget.Fit fit = StreamBudget.fit(config(new TransferOptions(Mode.STREAM, null, CopyFormat.AUTO),
                afterDumpBudget, Set.of()), 16, 96);
        assertThat(fit.config().transfer().tableJobs()).isEqualTo(1);
        assertThat(fit.config().limits()).isEqualTo(afterDumpBudget.withRestoreParallel(2));
        assertThat(StreamBudget.sourceNeed(fit.config().limits(), 1)).isLessThanOrEqualTo(16);
        // the same with -p given: nothing to scale, the run stops and says why
        assertThatThrownBy(() -> StreamBudget.apply(config(new TransferOptions(Mode.STREAM, null, CopyFormat.AUTO),
                afterDumpBudget, Set.of("--max-parallel", "--dump-parallel", "--restore-parallel",
                        "--verify-concurrency")), 16, 96)).hasMessageContaining("source").hasMessageContaining("16 free");
    }
}
