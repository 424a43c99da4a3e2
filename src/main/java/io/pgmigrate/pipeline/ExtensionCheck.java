package io.pgmigrate.pipeline;

import io.pgmigrate.MigrationException;
import io.pgmigrate.config.Endpoint;
import io.pgmigrate.postgres.Connections;
import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.postgres.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before any work: every extension the source databases use must be available on the target (its control file
 * installed), or their restores would all fail half-way with "extension ... is not available". pg_dump does not
 * pin the version, so any version the target has will do. The libraries those extensions need preloaded are
 * compared too ({@link PreloadedLibraries}): a warning, since the restore itself does not need them.
 */
public final class ExtensionCheck {
    private static final Logger log = LoggerFactory.getLogger(ExtensionCheck.class);
    private static final int NAMED_DATABASES = 3;

    /** An extension the target lacks, with the source databases that use it and the version they have. */
    record Missing(String extension, String version, List<String> databases) {
    }

    private ExtensionCheck() {
    }

    /**
     * Reads both servers; throws an environment error (exit 3) naming every missing extension. Returns the warnings
     * about the libraries the source preloads for them and the target does not.
     */
    static List<String> require(Endpoint source, Endpoint target, SourceSurvey survey) throws SQLException {
        Map<String, Map<String, String>> used = new LinkedHashMap<>();
        Map<String, Map<String, Set<String>>> modules = new LinkedHashMap<>();
        survey.databases().forEach((name, db) -> {
            used.put(name, db.extensions());
            modules.put(name, db.modules());
        });
        String sourcePreload;
        try (Connection c = Connections.open(source, source.database())) {
            sourcePreload = first(Sql.strings(c, "preload_libraries"));
        }
        Set<String> available = new HashSet<>();
        String targetPreload;
        try (Connection c = Connections.open(target, target.database())) {
            available.addAll(Sql.strings(c, "available_extensions"));
            targetPreload = first(Sql.strings(c, "preload_libraries"));
        }
        List<Missing> missing = missing(used, available);
        if (!missing.isEmpty()) {
            throw MigrationException.environment(message(missing, target));
        }
        log.info("extensions: the target has every one the source databases use ({})",
                used.values().stream().flatMap(m -> m.keySet().stream()).distinct().sorted().toList());
        if (targetPreload == null) {
            return PreloadedLibraries.warnings(modules, sourcePreload, null).isEmpty() ? List.of() : List.of("the target login may not read the target's shared_preload_libraries (it takes a superuser "
                    + "or pg_read_all_settings): the libraries the source preloads for its extensions are not compared");
        }
        return PreloadedLibraries.warnings(modules, sourcePreload, targetPreload);
    }

    private static String first(List<String> values) {
        return values.isEmpty() ? null : values.get(0);
    }

    /** The extensions of {@code used} (database to extension to version) that are not in {@code available}. */
    static List<Missing> missing(Map<String, Map<String, String>> used, Set<String> available) {
        Map<String, Missing> out = new TreeMap<>();
        used.forEach((db, extensions) -> extensions.forEach((name, version) -> {
            if (!available.contains(name)) {
                out.computeIfAbsent(name, n -> new Missing(n, version, new ArrayList<>())).databases().add(db);
            }
        }));
        return List.copyOf(out.values());
    }

    /** One line: what is missing, where it is used, what to do. */
    static String message(List<Missing> missing, Endpoint target) {
        String what = missing.stream().map(m -> m.extension() + " " + m.version() + " (used in "
                + Names.firstOf(m.databases().stream().map(Identifiers::quote).toList(), NAMED_DATABASES) + ")")
                .collect(Collectors.joining(", "));
        return "the target " + target.host() + ":" + target.port() + " lacks " + missing.size()
                + " extension(s) the source databases use: " + what + "; install them on the target (most come with"
                + " its postgresql-contrib package), drop them from the source databases, or leave those databases"
                + " out with --exclude-db";
    }
}
