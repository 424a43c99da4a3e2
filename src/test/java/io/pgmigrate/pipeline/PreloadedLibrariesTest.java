package io.pgmigrate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PreloadedLibrariesTest {
    @Test
    void theNamesOfASettingWhateverWayTheyAreWritten() {
        assertThat(PreloadedLibraries.names("pg_stat_statements, \"$libdir/auto_explain.so\",pg_cron ,"))
                .containsExactly("pg_stat_statements", "auto_explain", "pg_cron");
        assertThat(PreloadedLibraries.names("")).isEmpty();
    }

    @Test
    void onlyALibraryTheSourcePreloadsForAMigratedExtensionAndTheTargetLacks() {
        Map<String, Map<String, Set<String>>> modules = new LinkedHashMap<>();
        modules.put("app", Map.of("pg_stat_statements", Set.of("$libdir/pg_stat_statements"),
                "pgcrypto", Set.of("$libdir/pgcrypto")));
        modules.put("My DB", Map.of("pg_stat_statements", Set.of("$libdir/pg_stat_statements")));
        assertThat(PreloadedLibraries.warnings(modules, "pg_stat_statements, auto_explain, pgcrypto", "pgcrypto"))
                .containsExactly("the source preloads pg_stat_statements (shared_preload_libraries) and the target "
                        + "does not; it is the library of extension pg_stat_statements in \"app\", \"My DB\", which is "
                        + "migrated, but whatever needs the library loaded at start fails on the target until "
                        + "pg_stat_statements is added to its shared_preload_libraries and it is restarted");
        assertThat(PreloadedLibraries.warnings(modules, "auto_explain", "")).as("no extension's library").isEmpty();
        assertThat(PreloadedLibraries.warnings(modules, "pg_stat_statements", "\"pg_stat_statements\"")).isEmpty();
    }
}
