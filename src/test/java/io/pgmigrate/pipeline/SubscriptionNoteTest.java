package io.pgmigrate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SubscriptionNoteTest {
    @Test
    void noDisabledSubscriptionNoNote() {
        assertThat(SubscriptionNote.message(List.of())).isEmpty();
    }

    @Test
    void namesTheSubscriptionsQuotedAndSaysWhatToDo() {
        assertThat(SubscriptionNote.message(List.of("sub", "Odd \"Sub\"")).orElseThrow())
                .startsWith("2 subscription(s) arrived disabled (\"sub\", \"Odd \"\"Sub\"\"\"): ")
                .contains("connect = false").contains("ENABLE").contains("REFRESH PUBLICATION");
    }

    @Test
    void namesAtMostFive() {
        assertThat(SubscriptionNote.message(List.of("a", "b", "c", "d", "e", "f", "g")).orElseThrow())
                .startsWith("7 subscription(s) arrived disabled (\"a\", \"b\", \"c\", \"d\", \"e\" and 2 more): ");
    }
}
