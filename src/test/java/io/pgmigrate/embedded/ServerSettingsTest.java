package io.pgmigrate.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmigrate.MigrationException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerSettingsTest {

    @Test
    void rendersDefaultsThenCallerSettingsAsQuotedConfigLines() {
        String conf = new ServerSettings("17", Map.of("max_connections", "37", "search_path", "\"$user\", it's"))
                .render(5432, Path.of("/tmp/run/x"));

        assertThat(conf).contains("listen_addresses = '127.0.0.1'\n", "port = '5432'\n",
                "unix_socket_directories = '/tmp/run/x'\n", "shared_buffers = '32MB'\n",
                "password_encryption = 'scram-sha-256'\n", "search_path = '\"$user\", it''s'\n");
        assertThat(conf).contains("max_connections = '37'\n").doesNotContain("max_connections = '100'");
        assertThat(conf).doesNotContain("fsync");
    }

    @Test
    void leavesPasswordEncryptionAloneOn96() {
        assertThat(new ServerSettings("9.6", Map.of()).render(5432, Path.of("/s"))).doesNotContain("password_encryption");
    }

    @Test
    void refusesToListenElsewhereOrInjectLines() {
        assertThatThrownBy(() -> new ServerSettings("17", Map.of("listen_addresses", "*")))
                .isInstanceOf(MigrationException.class);
        assertThatThrownBy(() -> new ServerSettings("17", Map.of("work_mem = 1\nport", "1")))
                .isInstanceOf(MigrationException.class);
        assertThatThrownBy(() -> ServerSettings.quote("1\nlisten_addresses = '*'"))
                .isInstanceOf(MigrationException.class);
        assertThat(ServerSettings.quote("a\\b'c")).isEqualTo("'a\\\\b''c'");
    }

    @Test
    void majorVersionsAreNamedAsPostgresNamesThem() {
        assertThat(EmbeddedServer.majorVersionOf("9.6.24")).isEqualTo("9.6");
        assertThat(EmbeddedServer.majorVersionOf("12.22.0")).isEqualTo("12");
        assertThat(EmbeddedServer.majorVersionOf("15")).isEqualTo("15");
        assertThat(EmbeddedServer.majorVersionOf("18.0.0")).isEqualTo("18");
        assertThatThrownBy(() -> EmbeddedServer.majorVersionOf("latest")).isInstanceOf(MigrationException.class);
    }
}
