package io.pgmigrate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamMovementTest {
    private static final long MB128 = 128L << 20;

    @Test
    void tablesAreSplitOnlyWithASnapshotSeveralWorkersAndAThreshold() {
        assertThat(StreamMovement.splitAbove(true, 2, MB128)).isEqualTo(MB128);
        assertThat(StreamMovement.splitAbove(false, 2, MB128)).as("no snapshot").isEqualTo(Long.MAX_VALUE);
        assertThat(StreamMovement.splitAbove(true, 1, MB128)).as("one worker").isEqualTo(Long.MAX_VALUE);
        assertThat(StreamMovement.splitAbove(true, 2, 0)).as("splitting off").isEqualTo(Long.MAX_VALUE);
    }
}
