package io.pgmigrate.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CountComparisonTest {
    @Test
    void equalCountsHaveNoDifference() {
        assertThat(CountComparison.compare(Map.of("a", 1L, "b", 0L), Map.of("a", 1L, "b", 0L), Set.of())).isEmpty();
    }

    @Test
    void aRowLessAMissingTableAndAnExtraTableAreEachReported() {
        var diffs = CountComparison.compare(Map.of("a", 10L, "b", 5L), Map.of("a", 9L, "c", 1L), Set.of());
        assertThat(diffs).extracting(CountComparison.Difference::table).containsExactly("a", "b", "c");
        assertThat(diffs.get(0).toString()).contains("10 rows on the source, 9 on the target");
        assertThat(diffs.get(1).toString()).contains("missing on the target");
        assertThat(diffs.get(2).toString()).contains("on the target only");
    }

    @Test
    void ignoredTablesAreLeftOut() {
        assertThat(CountComparison.compare(Map.of("a", 10L), Map.of("a", 0L), Set.of("a"))).isEmpty();
    }
}
