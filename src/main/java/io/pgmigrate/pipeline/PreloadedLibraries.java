package io.pgmigrate.pipeline;

import io.pgmigrate.postgres.Identifiers;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A library the source preloads ({@code shared_preload_libraries}) that is the module of an extension a migrated
 * database uses, and that the target does not preload: the extension is created and restored all the same (the
 * contrib ones at least: pg_stat_statements), but what needs the library loaded at start fails on the target until
 * it is added there and the server restarted. A warning before any change, one per library.
 */
final class PreloadedLibraries {
    private PreloadedLibraries() {
    }

    /**
     * @param modules per migrated database, each extension's modules (pg_proc.probin, e.g. "$libdir/pg_stat_statements")
     * @param source  the source's shared_preload_libraries, as set
     * @param target  the target's
     */
    static List<String> warnings(Map<String, Map<String, Set<String>>> modules, String source, String target) {
        Set<String> onSource = names(source);
        Set<String> onTarget = names(target);
        Map<String, Map<String, Set<String>>> missing = new TreeMap<>(); // library -> extension -> databases
        modules.forEach((db, extensions) -> extensions.forEach((extension, files) -> files.stream()
                .map(PreloadedLibraries::name).filter(l -> onSource.contains(l) && !onTarget.contains(l))
                .forEach(l -> missing.computeIfAbsent(l, k -> new TreeMap<>())
                        .computeIfAbsent(extension, k -> new LinkedHashSet<>()).add(db))));
        List<String> out = new ArrayList<>();
        missing.forEach((library, extensions) -> out.add("the source preloads " + library + " (shared_preload_libraries)"
                + " and the target does not; it is the library of " + extensions.entrySet().stream()
                .map(e -> "extension " + e.getKey() + " in " + e.getValue().stream().map(Identifiers::quote)
                        .collect(Collectors.joining(", "))).collect(Collectors.joining(", and of "))
                + ", which is migrated, but whatever needs the library loaded at start fails on the target until "
                + library + " is added to its shared_preload_libraries and it is restarted"));
        return out;
    }

    /** The library names of a shared_preload_libraries value: "a, \"$libdir/b.so\"" gives a and b. */
    static Set<String> names(String setting) {
        Set<String> out = new LinkedHashSet<>();
        for (String item : setting == null ? new String[0] : setting.split(",")) {
            String name = name(item.strip().replace("\"", ""));
            if (!name.isEmpty()) {
                out.add(name);
            }
        }
        return out;
    }

    /** "$libdir/pg_stat_statements.so" -> "pg_stat_statements". */
    private static String name(String file) {
        String base = file.substring(file.lastIndexOf('/') + 1);
        return base.endsWith(".so") ? base.substring(0, base.length() - 3) : base;
    }
}
