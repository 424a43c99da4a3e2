package io.pgmigrate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmigrate.ExitCode;
import io.pgmigrate.MigrationException;
import io.pgmigrate.config.Limits;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConnectionBudgetTest {
    private static final Limits DEFAULTS = new Limits(24, 12, 6, 6, 16);

    @Test
    void referenceDefaultsNeedTheReferenceNumbers() {
        // the reference: 6 × 25 + 16 on the source (plus our snapshot holder per dump and the residue)
        assertThat(ConnectionBudget.sourceNeed(DEFAULTS)).isEqualTo(6 * 26 + 16 + 2);
        assertThat(ConnectionBudget.targetNeed(DEFAULTS)).isEqualTo(6 * 13 + 16 + 2);
    }

    @Test
    void fittingLimitsAreKept() {
        var fit = ConnectionBudget.fit(DEFAULTS, Set.of(), 500, 500);
        assertThat(fit.limits()).isEqualTo(DEFAULTS);
        assertThat(fit.adjustment()).isNull();
    }

    @Test
    void defaultsAreScaledDownToFitAndSaySo() {
        var fit = ConnectionBudget.fit(DEFAULTS, Set.of(), 96, 96);
        assertThat(ConnectionBudget.sourceNeed(fit.limits())).isLessThanOrEqualTo(96);
        assertThat(ConnectionBudget.targetNeed(fit.limits())).isLessThanOrEqualTo(96);
        assertThat(fit.limits().dumpParallel()).isEqualTo(6); // jobs go first
        assertThat(fit.adjustment()).contains("96 free slots").contains("--dump-jobs");
    }

    @Test
    void tinyServersStillGetAWorkingMinimum() {
        var fit = ConnectionBudget.fit(DEFAULTS, Set.of(), 8, 8);
        assertThat(ConnectionBudget.sourceNeed(fit.limits())).isLessThanOrEqualTo(8);
        assertThat(fit.limits().dumpJobs()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void explicitKnobsAreNeverChangedAndTheErrorNamesThem() {
        assertThatThrownBy(() -> ConnectionBudget.fit(DEFAULTS,
                Set.of("--dump-jobs", "--dump-parallel", "--verify-concurrency"), 96, 500))
                .isInstanceOf(MigrationException.class)
                .satisfies(e -> assertThat(((MigrationException) e).exitCode()).isEqualTo(ExitCode.ENVIRONMENT))
                .hasMessageContaining("source has 96 free connection slots")
                .hasMessageContaining("--dump-jobs 24")
                .hasMessageContaining("max_connections");
    }

    @Test
    void theErrorShowsTheSumAndNamesOnlyTheKnobsTheUserSet() {
        // pg-migrate --dump-jobs 24 -p 6: --verify-concurrency was not given, so it is down to 1 before giving up
        assertThatThrownBy(() -> ConnectionBudget.fit(DEFAULTS,
                Set.of("--dump-jobs", "--max-parallel", "--dump-parallel", "--restore-parallel"), 16, 500))
                .hasMessage("the source has 16 free connection slots but --dump-parallel 6 × (1 + --dump-jobs 24 "
                        + "+ 1 snapshot) + --verify-concurrency 1 + 2 for the run itself = 159 are needed, even with "
                        + "the options not given at 1; lower -p/--max-parallel or --dump-parallel and --dump-jobs, "
                        + "or raise max_connections on the source");
        assertThatThrownBy(() -> ConnectionBudget.fit(DEFAULTS, Set.of("--restore-jobs"), 500, 10))
                .hasMessageStartingWith("the target has 10 free connection slots but --restore-parallel 1 × "
                        + "(1 + --restore-jobs 12) + --verify-concurrency 1 + 2 for the run itself = 16 are needed")
                .hasMessageEndingWith("; lower --restore-jobs, or raise max_connections on the target");
        assertThatThrownBy(() -> ConnectionBudget.fit(DEFAULTS, Set.of(), 4, 500))
                .hasMessageEndingWith("are needed, even with the options not given at 1; "
                        + "raise max_connections on the source");
    }

    @Test
    void explicitJobsStayWhileTheOtherKnobsShrink() {
        var fit = ConnectionBudget.fit(DEFAULTS, Set.of("--dump-jobs"), 100, 500);
        assertThat(fit.limits().dumpJobs()).isEqualTo(24);
        assertThat(ConnectionBudget.sourceNeed(fit.limits())).isLessThanOrEqualTo(100);
    }

    /**
     * A source that exports no snapshot (a standby before 10, replay paused) is dumped with one pg_dump job per
     * database and holds no snapshot: --dump-jobs opens nothing there, so it neither refuses the run nor is lowered.
     */
    @Test
    void withoutASnapshotEachDumpIsOneConnectionWhateverTheDumpJobs() {
        assertThat(ConnectionBudget.sourceNeed(DEFAULTS, true, false)).isEqualTo(6 + 16 + 2);
        var fit = ConnectionBudget.fit(DEFAULTS, Set.of("--dump-jobs", "--dump-parallel", "--verify-concurrency"),
                24, 500, true, false);
        assertThat(fit.limits()).isEqualTo(DEFAULTS);
        var tight = ConnectionBudget.fit(DEFAULTS, Set.of(), 12, 500, false, false);
        assertThat(tight.limits().dumpJobs()).as("not lowered: it opens nothing").isEqualTo(24);
        assertThat(ConnectionBudget.sourceNeed(tight.limits(), false, false)).isLessThanOrEqualTo(12);
        assertThatThrownBy(() -> ConnectionBudget.fit(DEFAULTS, Set.of("--dump-jobs", "--dump-parallel"), 8, 500,
                false, false))
                .hasMessage("the source has 8 free connection slots but --dump-parallel 6 × 1 pg_dump (one job: the "
                        + "source exports no snapshot) + --verify-concurrency 1 + 2 for the run itself = 9 are needed, "
                        + "even with the options not given at 1; lower --dump-parallel, or raise max_connections on "
                        + "the source");
    }
}
