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
        assertThat(backlog.next("b").item()).as("a larger one of 8 MB or more goes first").isEqualTo("a.20");
        assertThat(backlog.next("b").item()).isEqualTo("b.7");
        assertThat(backlog.next("b")).isNull();
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
