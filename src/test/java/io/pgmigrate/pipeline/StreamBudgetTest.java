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

    private static final Set<String> RESTORE_KNOBS_GIVEN = Set.of("--restore-jobs", "--restore-parallel",
            "--verify-concurrency");

    private static MigrationConfig config(TransferOptions transfer) {
        return config(transfer, Set.of());
    }

    private static MigrationConfig config(TransferOptions transfer, Set<String> explicit) {
        var endpoint = new io.pgmigrate.config.Endpoint("source", "h", 1, "u", null, "postgres");
        return new MigrationConfig(endpoint, endpoint.withDatabase("postgres"), LIMITS, explicit, Path.of("d"),
                Path.of("m"), Path.of("v"), true, true, false, true, List.of(), false, List.of(), List.of(),
                Optional.empty(), "auto", false, false, java.util.Map.of(), transfer);
    }

    private static StreamBudget.Fit fit(Integer tableJobs, Set<String> explicit, int sourceFree, int targetFree) {
        return StreamBudget.apply(config(new TransferOptions(Mode.STREAM, tableJobs, CopyFormat.AUTO), explicit),
                sourceFree, targetFree, true);
    }

    @Test
    void needsPerSide() {
        // source: 2 dumps × 2 + 2 restore slots × (snapshot + large object list) + 4 copy workers + 4 + 2
        assertThat(StreamBudget.sourceNeed(LIMITS, 4, true)).isEqualTo(18);
        // a paused standby before 10: no snapshot held, by a dump or a restore slot
        assertThat(StreamBudget.sourceNeed(LIMITS, 4, false)).isEqualTo(14);
        // target: 2 restore slots × (1 + 4 index builds or pg_restore -j 4) + 4 copy workers + 4 + 2
        assertThat(StreamBudget.targetNeed(LIMITS, 4)).isEqualTo(20);
        assertThat(StreamBudget.targetNeed(LIMITS, 8)).isEqualTo(24);
    }

    @Test
    void dumpModeIsLeftAlone() {
        MigrationConfig c = config(TransferOptions.dump());
        assertThat(StreamBudget.apply(c, 1, 1, true).config()).isSameAs(c);
        assertThat(StreamBudget.apply(c, 1, 1, true).adjustment()).isNull();
    }

    @Test
    void defaultTableJobsAreEveryRestoreSlotsJobsAndShrinkToFit() {
        StreamBudget.Fit roomy = fit(null, Set.of(), 100, 100);
        assertThat(roomy.config().transfer().tableJobs()).isEqualTo(8);
        assertThat(roomy.adjustment()).isNull();
        // target: 2 × (1 + 4) + 4 + 6 = 20
        assertThat(fit(null, Set.of(), 100, 20).config().transfer().tableJobs()).isEqualTo(4);
        // source: 4 + 4 + 2 + 6 = 16
        assertThat(fit(null, Set.of(), 16, 100).config().transfer().tableJobs()).isEqualTo(2);
    }

    @Test
    void defaultTableJobsKeepOneCopyPerRestoreSlotBeforeTheOtherDefaultsShrink() {
        // 2 copies, then --restore-jobs down to 2: 2 × (1 + 2) + 2 + 6 = 14
        StreamBudget.Fit tight = fit(null, Set.of(), 100, 15);
        assertThat(tight.config().transfer().tableJobs()).isEqualTo(2);
        assertThat(tight.config().limits().restoreJobs()).isEqualTo(2);
        assertThat(tight.adjustment()).contains("--restore-jobs 2");
        // the other knobs given: the copies go down to 1 (2 × 5 + 1 + 6 = 17)
        assertThat(fit(null, RESTORE_KNOBS_GIVEN, 100, 17).config().transfer().tableJobs()).isEqualTo(1);
    }

    @Test
    void givenTableJobsAreNeverChanged() {
        assertThatThrownBy(() -> fit(8, RESTORE_KNOBS_GIVEN, 100, 20))
                .hasMessageContaining("--table-jobs 8").hasMessageContaining("target");
        assertThat(fit(8, RESTORE_KNOBS_GIVEN, 100, 100).config().transfer().tableJobs()).isEqualTo(8);
        // the defaults around them make room: --restore-jobs down to 2 (2 × 3 + 8 + 6 = 20)
        StreamBudget.Fit roomMade = fit(8, Set.of(), 100, 20);
        assertThat(roomMade.config().transfer().tableJobs()).isEqualTo(8);
        assertThat(roomMade.config().limits().restoreJobs()).isEqualTo(2);
    }

    /** Every knob at its default (after ConnectionBudget) on a source of max_connections 20: 16 free slots. */
    @Test
    void theDefaultsFitASmallServer() {
        Limits afterDumpBudget = new Limits(2, 12, 2, 6, 6);
        var endpoint = new io.pgmigrate.config.Endpoint("source", "h", 1, "u", null, "postgres");
        MigrationConfig defaults = new MigrationConfig(endpoint, endpoint.withDatabase("postgres"), afterDumpBudget,
                Set.of(), Path.of("d"), Path.of("m"), Path.of("v"), true, true, false, true, List.of(), false,
                List.of(), List.of(), Optional.empty(), "auto", false, false, java.util.Map.of(),
                new TransferOptions(Mode.STREAM, null, CopyFormat.AUTO));
        StreamBudget.Fit fit = StreamBudget.apply(defaults, 16, 96, true);
        assertThat(StreamBudget.sourceNeed(fit.config().limits(), fit.config().transfer().tableJobs(
                fit.config().limits()), true)).isLessThanOrEqualTo(16);
        assertThat(fit.adjustment()).isNotNull();
    }
}
