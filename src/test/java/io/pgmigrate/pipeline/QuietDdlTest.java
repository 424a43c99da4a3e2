package io.pgmigrate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuietDdlTest {
    @Test
    void replicaRoleEverywhereAndTheEventTriggersSwitchFrom17On() {
        assertThat(QuietDdl.pgOptions(9)).isEqualTo("-c session_replication_role=replica");
        assertThat(QuietDdl.pgOptions(16)).isEqualTo("-c session_replication_role=replica");
        assertThat(QuietDdl.pgOptions(17)).isEqualTo("-c session_replication_role=replica -c event_triggers=off");
        assertThat(QuietDdl.pgOptions(18)).isEqualTo("-c session_replication_role=replica -c event_triggers=off");
    }
}
