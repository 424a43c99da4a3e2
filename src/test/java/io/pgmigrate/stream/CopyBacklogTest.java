package io.pgmigrate.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CopyBacklogTest {
    private static final long MB = 1L << 20;

    private static List<String> drain(CopyBacklog<String, String> backlog, String current) {
        List<String> out = new ArrayList<>();
        CopyBacklog.Taken<String, String> t;
        while ((t = backlog.next(current)) != null) {
            out.add(t.item());
        }
        return out;
    }

    @Test
    void largestFirstAcrossDatabasesAndInSubmissionOrderAmongEquals() {
        CopyBacklog<String, String> backlog = new CopyBacklog<>();
        backlog.add("a", "a.small", 10 * MB);
        backlog.add("a", "a.big", 500 * MB);
        backlog.add("b", "b.mid", 100 * MB);
        backlog.add("b", "b.big", 500 * MB);
        backlog.add("a", "a.mid", 100 * MB);
        assertThat(drain(backlog, null)).containsExactly("a.big", "b.big", "b.mid", "a.mid", "a.small");
    }

    @Test
    void aWorkerStaysWithItsDatabaseForSmallCopiesAndLeavesItForALargerBigOne() {
        CopyBacklog<String, String> backlog = new CopyBacklog<>();
        backlog.add("a", "a.1", MB);
        backlog.add("b", "b.7", 7 * MB);
        assertThat(backlog.next("a").item()).as("below the switch size: no new connections for it").isEqualTo("a.1");
        backlog.add("a", "a.20", 20 * MB);
        backlog.add("b", "b.200", 200 * MB);
        assertThat(backlog.next("a").item()).as("a big copy of another database goes first").isEqualTo("b.200");
        backlog.add("b", "b.20", 20 * MB);
        assertThat(backlog.next("b").item()).as("among equals, its own").isEqualTo("b.20");
        assertThat(backlog.next("b").item()).as("b has less than 8 MB left: it goes first").isEqualTo("b.7");
        assertThat(backlog.next("b").item()).isEqualTo("a.20");
        assertThat(backlog.next("b")).isNull();
    }

    @Test
    void aDatabaseWithAlmostNothingLeftIsServedFirstSoItFreesItsSlot() {
        CopyBacklog<String, String> backlog = new CopyBacklog<>();
        backlog.add("events", "events.range1", 250 * MB);
        backlog.add("events", "events.range2", 250 * MB);
        backlog.add("tiny", "tiny.only", 10_000);
        backlog.add("small", "small.1", 3 * MB);
        backlog.add("small", "small.2", 3 * MB);
        backlog.add("many", "many.1", 5 * MB);
        backlog.add("many", "many.2", 5 * MB);
        // tiny (10 kB left), then small (6 MB left), then the largest first: many, with 10 MB left, waits its turn
        assertThat(drain(backlog, null)).containsExactly("tiny.only", "small.1", "small.2", "events.range1",
                "events.range2", "many.1", "many.2");
    }

    @Test
    void droppingADatabaseLeavesTheOthers() {
        CopyBacklog<String, String> backlog = new CopyBacklog<>();
        backlog.add("a", "a.1", 3);
        backlog.add("a", "a.2", 2);
        backlog.add("b", "b.1", 1);
        assertThat(backlog.size("a")).isEqualTo(2);
        assertThat(backlog.drop("a")).isEqualTo(2);
        assertThat(backlog.drop("a")).isZero();
        assertThat(backlog.size("a")).isZero();
        assertThat(drain(backlog, "a")).containsExactly("b.1");
    }
}
