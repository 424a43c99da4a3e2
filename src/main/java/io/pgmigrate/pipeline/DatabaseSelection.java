package io.pgmigrate.pipeline;

import io.pgmigrate.MigrationException;
import io.pgmigrate.postgres.DatabaseInfo;
import io.pgmigrate.postgres.Identifiers;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which source databases a run migrates: every user database (template0 and template1 are never listed; a database
 * marked IS_TEMPLATE is a user database), less the maintenance
 * database (--from-db) unless an include pattern names it, filtered by --include-db / --exclude-db.
 */
public final class DatabaseSelection {
    private static final Logger log = LoggerFactory.getLogger(DatabaseSelection.class);
    /** The source's databases a usage error names. */
    private static final int NAMED = 20;

    private final List<GlobPattern> include;
    private final List<GlobPattern> exclude;
    private final String maintenanceDatabase;

    public DatabaseSelection(List<String> include, List<String> exclude, String maintenanceDatabase) {
        this.include = include.stream().map(GlobPattern::of).toList();
        this.exclude = exclude.stream().map(GlobPattern::of).toList();
        this.maintenanceDatabase = maintenanceDatabase;
    }

    /**
     * The databases to migrate, in the catalog's order. Literal include names that do not exist are an error, and so
     * are include patterns that leave nothing to migrate (a typo in a wildcard, or all of it excluded): a run that
     * migrates nothing must not touch the target. Without include patterns, a source with no user database is not.
     */
    public List<DatabaseInfo> select(List<DatabaseInfo> all) {
        for (GlobPattern p : include) {
            if (p.isLiteral() && all.stream().noneMatch(d -> d.name().equals(p.text()))) {
                throw MigrationException.usage("--include-db " + p.text() + ": no such database on the source; "
                        + sourceHas(all));
            }
        }
        List<DatabaseInfo> out = new ArrayList<>();
        for (DatabaseInfo db : all) {
            if (wanted(db.name())) {
                out.add(db);
            }
        }
        if (out.isEmpty() && !include.isEmpty()) {
            throw MigrationException.usage("no source database matches " + options("--include-db", include)
                    + (exclude.isEmpty() ? "" : " after " + options("--exclude-db", exclude))
                    + "; " + sourceHas(all) + "; correct the patterns (quoted, so the shell does not expand them)");
        }
        return out;
    }

    private static String options(String option, List<GlobPattern> patterns) {
        return String.join(" ", patterns.stream().map(p -> option + " '" + p.text() + "'").toList());
    }

    /**
     * "the source has: a, b, c", sorted by name so a misspelt one is found next to what was meant; of a server of
     * many, the {@link #NAMED} nearest to the include patterns (a typo's target among them), every one at debug level
     * (always in migrate's log file).
     */
    private String sourceHas(List<DatabaseInfo> all) {
        if (all.isEmpty()) {
            return "the source has no user database";
        }
        List<String> names = all.stream().map(DatabaseInfo::name).sorted().toList();
        if (names.size() <= NAMED) {
            return "the source has: " + String.join(", ", names);
        }
        log.debug("the source's databases: {}", String.join(", ", names));
        List<String> nearest = names.stream().sorted(Comparator.comparingInt(this::distance)).limit(NAMED).toList();
        return "the source has " + names.size() + " databases, nearest to the patterns: "
                + Names.firstOf(nearest, NAMED) + " and " + (names.size() - NAMED) + " more (every one at --log-level "
                + "debug)";
    }

    /** The fewest edits from an include pattern's letters (wildcards left out) to the start of {@code name}. */
    private int distance(String name) {
        int best = Integer.MAX_VALUE;
        for (GlobPattern p : include) {
            String letters = p.text().replace("*", "").replace("?", "");
            best = Math.min(best, edits(letters, name.substring(0, Math.min(name.length(), letters.length()))));
        }
        return best;
    }

    /** Levenshtein distance. */
    private static int edits(String a, String b) {
        int[] row = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            row[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int above = row[j];
                row[j] = Math.min(Math.min(row[j] + 1, row[j - 1] + 1),
                        diagonal + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.length()];
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

    /**
     * Refuses selected databases with datallowconn = false: nothing can connect to them to dump or compare them, and
     * a run that left them out would end saying every database was done.
     */
    public static void requireConnectable(List<DatabaseInfo> chosen) {
        List<String> closed = chosen.stream().filter(d -> !d.allowConnections()).map(DatabaseInfo::name).toList();
        if (closed.isEmpty()) {
            return;
        }
        boolean one = closed.size() == 1;
        throw MigrationException.environment((one ? "source database " : "source databases ")
                + String.join(", ", closed.stream().map(Identifiers::quote).toList())
                + (one ? " does" : " do") + " not allow connections (datallowconn = false) and cannot be dumped: "
                + "allow connections to " + (one ? "it" : "them") + " for the migration (ALTER DATABASE ... "
                + "ALLOW_CONNECTIONS true), or leave " + (one ? "it" : "them") + " out with "
                + String.join(" ", closed.stream().map(n -> "--exclude-db '" + n.replace("'", "'\\''") + "'")
                        .toList()));
    }
}
