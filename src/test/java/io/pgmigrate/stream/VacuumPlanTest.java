package io.pgmigrate.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class VacuumPlanTest {
    private static final String T = "\"public\".\"t\"";
    private static final long SMALL = 8192;
    private static final long BIG = VacuumPlan.BATCH_MAX_BYTES;

    @Test
    void from16OnEachTableIsVacuumedAtOnceWithoutTheDatabaseStatsWhichComeOnceAtTheEnd() {
        VacuumPlan plan = new VacuumPlan(16);
        assertThat(plan.now(T, SMALL, false)).isEqualTo("VACUUM (ANALYZE, SKIP_DATABASE_STATS) " + T);
        assertThat(plan.batched(SMALL, false)).isFalse();
        assertThat(plan.now(T, BIG, true)).isEqualTo("ANALYZE " + T);
        assertThat(plan.atEnd()).isEqualTo("VACUUM (ONLY_DATABASE_STATS)");
    }

    @Test
    void from11To15SmallTablesAreAnalyzedAtOnceAndVacuumedTogether() {
        for (int major : List.of(11, 13, 15)) {
            VacuumPlan plan = new VacuumPlan(major);
            assertThat(plan.now(T, SMALL, false)).isEqualTo("ANALYZE " + T);
            assertThat(plan.batched(SMALL, false)).isTrue();
            assertThat(plan.now(T, BIG, false)).isEqualTo("VACUUM (ANALYZE) " + T);
            assertThat(plan.batched(BIG, false)).isFalse();
            assertThat(plan.atEnd()).isNull();
        }
        assertThat(VacuumPlan.batch(List.of("\"a\".\"b\"", "\"c\"\"\".\"d\""))).isEqualTo(
                "VACUUM \"a\".\"b\", \"c\"\"\".\"d\"");
    }

    @Test
    void batchesGrowWithTheTablesHandedInSoThePgClassReadsGrowSlowerThanTheTables() {
        assertThat(VacuumPlan.batchSize(1)).isEqualTo(VacuumPlan.BATCH_MIN_TABLES);
        assertThat(VacuumPlan.batchSize(8000)).isEqualTo(1000);
    }

    @Test
    void aFrozenTableIsVacuumedBefore14WhereTheCopyLeftItsVisibilityMapEmpty() {
        assertThat(new VacuumPlan(14).now(T, SMALL, true)).isEqualTo("ANALYZE " + T);
        assertThat(new VacuumPlan(14).batched(SMALL, true)).isFalse();
        assertThat(new VacuumPlan(13).batched(SMALL, true)).isTrue();
        assertThat(new VacuumPlan(13).now(T, BIG, true)).isEqualTo("VACUUM (ANALYZE) " + T);
        assertThat(new VacuumPlan(9).now(T, SMALL, true)).isEqualTo("VACUUM (ANALYZE) " + T);
        assertThat(new VacuumPlan(10).now(T, SMALL, false)).isEqualTo("VACUUM (ANALYZE) " + T);
        assertThat(new VacuumPlan(10).batched(SMALL, false)).isFalse();
    }
}
