package io.pgmigrate.pipeline;

import io.pgmigrate.MigrationException;
import io.pgmigrate.postgres.DatabaseInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * Which source databases a run migrates: every user database (template0 and template1 are never listed; a database
 * marked IS_TEMPLATE is a user database), less the maintenance
 * database (--from-db) unless an include pattern names it, filtered by --include-db / --exclude-db.
 */
public final class DatabaseSelection {
    private final List<GlobPattern> include;
    private final List<GlobPattern> exclude;
    private final String maintenanceDatabase;

    public DatabaseSelection(List<String> include, List<String> exclude, String maintenanceDatabase) {
        this.include = include.stream().map(GlobPattern::of).toList();
        this.exclude = exclude.stream().map(GlobPattern::of).toList();
        this.maintenanceDatabase = maintenanceDatabase;
    }

    /** The databases to migrate, in the catalog's order; literal include names that do not exist are an error. */
    public List<DatabaseInfo> select(List<DatabaseInfo> all) {
        for (GlobPattern p : include) {
            if (p.isLiteral() && all.stream().noneMatch(d -> d.name().equals(p.text()))) {
                throw MigrationException.usage("--include-db " + p.text() + ": no such database on the source");
            }
        }
        List<DatabaseInfo> out = new ArrayList<>();
        for (DatabaseInfo db : all) {
            if (wanted(db.name())) {
                out.add(db);
            }
        }
        return out;
    }

    public boolean wanted(String name) {
        if (exclude.stream().anyMatch(p -> p.matches(name))) {
            return false;
        }
        if (name.equals(maintenanceDatabase)) {
            // only when asked for by name or pattern, never by default
            return include.stream().anyMatch(p -> p.matches(name));
        }
        return include.isEmpty() || include.stream().anyMatch(p -> p.matches(name));
    }
}
