package io.pgmigrate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmigrate.config.Endpoint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExtensionCheckTest {
    private static final Endpoint TARGET = new Endpoint("target", "db.example", 5433, "postgres", null, "postgres");

    @Test
    void everyExtensionAvailableNothingMissing() {
        assertThat(ExtensionCheck.missing(Map.of("a", Map.of("plpgsql", "1.0", "hstore", "1.4")),
                Set.of("plpgsql", "hstore", "citext"))).isEmpty();
    }

    @Test
    void eachMissingExtensionOnceWithTheDatabasesUsingIt() {
        Map<String, Map<String, String>> used = new LinkedHashMap<>();
        used.put("a", Map.of("plpgsql", "1.0", "chkpass", "1.0", "hstore", "1.4"));
        used.put("b", Map.of("chkpass", "1.0", "adminpack", "1.1"));
        used.put("c", Map.of("plpgsql", "1.0"));
        assertThat(ExtensionCheck.missing(used, Set.of("plpgsql", "hstore"))).containsExactly(
                new ExtensionCheck.Missing("adminpack", "1.1", List.of("b")),
                new ExtensionCheck.Missing("chkpass", "1.0", List.of("a", "b")));
    }

    @Test
    void theMessageIsOneLineNamingExtensionsDatabasesAndTheWayOut() {
        String message = ExtensionCheck.message(List.of(
                new ExtensionCheck.Missing("chkpass", "1.0", List.of("a", "My \"DB\"", "c", "d", "e")),
                new ExtensionCheck.Missing("adminpack", "2.1", List.of("x"))), TARGET);
        assertThat(message).doesNotContain("\n")
                .startsWith("the target db.example:5433 lacks 2 extension(s) the source databases use: "
                        + "chkpass 1.0 (used in \"a\", \"My \"\"DB\"\"\", \"c\" and 2 more), adminpack 2.1 (used in \"x\")")
                .contains("postgresql-contrib").contains("--exclude-db");
    }
}
