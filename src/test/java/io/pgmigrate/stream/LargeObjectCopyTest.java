package io.pgmigrate.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LargeObjectCopyTest {

    @Test
    void anOidIsWithinTheJournaledBatchesOnlyInsideOneOfThem() {
        List<long[]> kept = List.of(new long[] {10, 19}, new long[] {30, 30}, new long[] {40, 4_294_967_295L});
        assertThat(LargeObjectCopy.within(kept, 10)).isTrue();
        assertThat(LargeObjectCopy.within(kept, 19)).isTrue();
        assertThat(LargeObjectCopy.within(kept, 30)).isTrue();
        assertThat(LargeObjectCopy.within(kept, 4_294_967_295L)).as("the largest oid").isTrue();
        assertThat(LargeObjectCopy.within(kept, 9)).isFalse();
        assertThat(LargeObjectCopy.within(kept, 20)).isFalse();
        assertThat(LargeObjectCopy.within(kept, 31)).isFalse();
        assertThat(LargeObjectCopy.within(List.of(), 10)).isFalse();
    }

    @Test
    void aBatchJournalLineIsNoTableKey() {
        assertThat(LargeObjectCopy.key(new long[] {16384, 20000, 200})).isEqualTo("large objects 16384-20000 (200)")
                .doesNotStartWith("\"");
        assertThat(LargeObjectCopy.key(new long[] {16384, 20000, 199})).as("one unlinked inside the last batch")
                .isNotEqualTo(LargeObjectCopy.key(new long[] {16384, 20000, 200}));
    }
}
