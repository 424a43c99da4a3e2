package io.pgmigrate.pipeline;

import io.pgmigrate.MigrationException;
import io.pgmigrate.config.Endpoint;
import io.pgmigrate.postgres.Catalog;
import io.pgmigrate.postgres.Connections;
import io.pgmigrate.postgres.DatabaseInfo;
import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.postgres.PostgresErrors;
import io.pgmigrate.postgres.TableRef;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The tables {@code --delay-table-data} names, resolved once against the source catalog before any work, so every
 * phase (and every resumed run's check) means the same tables. Patterns that name a database the run does not
 * migrate, or match no table, stop the run before any change, unless the user allowed unmatched patterns.
 */
public final class DelayedTables {
    private final Map<String, List<TableRef>> byDatabase;
    /** The patterns that matched the tables, by database. */
    private final Map<String, List<TablePattern>> patterns;

    private DelayedTables(Map<String, List<TableRef>> byDatabase, Map<String, List<TablePattern>> patterns) {
        this.byDatabase = byDatabase;
        this.patterns = patterns;
    }

    public static DelayedTables none() {
        return new DelayedTables(Map.of(), Map.of());
    }

    /** Resolves the patterns; {@code warnings} receives what an allowed unmatched pattern would have failed on. */
    public static DelayedTables resolve(List<String> patternTexts, List<DatabaseInfo> migrated, List<String> allOnSource,
                                        Endpoint source, boolean allowUnmatched, List<String> warnings) {
        List<TablePattern> patterns = patternTexts.stream().map(TablePattern::parse).toList();
        Map<String, List<TableRef>> out = new LinkedHashMap<>();
        Map<String, List<TablePattern>> matching = new LinkedHashMap<>();
        Set<String> migratedNames = migrated.stream().map(DatabaseInfo::name).collect(Collectors.toSet());
        Map<String, List<TablePattern>> byDb = new LinkedHashMap<>();
        for (TablePattern p : patterns) {
            if (!migratedNames.contains(p.database())) {
                String why = allOnSource.contains(p.database())
                        ? "is not among the databases this run migrates (see --include-db/--exclude-db)"
                        : "does not exist on the source";
                unmatched("--delay-table-data " + p.text() + ": database " + Identifiers.quote(p.database()) + " "
                        + why, allowUnmatched, warnings);
                continue;
            }
            byDb.computeIfAbsent(p.database(), k -> new ArrayList<>()).add(p);
        }
        for (var entry : byDb.entrySet()) {
            List<TableRef> tables;
            try (Connection c = Connections.open(source, entry.getKey())) {
                tables = List.copyOf(new Catalog(c).tables().keySet());
            } catch (SQLException e) {
                throw PostgresErrors.sqlError("listing the tables of source database "
                        + Identifiers.quote(entry.getKey()), e);
            }
            Set<TableRef> chosen = new LinkedHashSet<>();
            for (TablePattern p : entry.getValue()) {
                List<TableRef> matched = tables.stream().filter(t -> p.matches(t.schema(), t.name())).toList();
                if (matched.isEmpty()) {
                    unmatched("--delay-table-data " + p.text() + " matches no table in database "
                            + Identifiers.quote(p.database()) + " (unquoted names fold to lower case: quote "
                            + "mixed-case names, e.g. db.\"Events\")", allowUnmatched, warnings);
                } else {
                    matching.computeIfAbsent(entry.getKey(), k -> new ArrayList<>()).add(p);
                }
                chosen.addAll(matched);
            }
            if (!chosen.isEmpty()) {
                out.put(entry.getKey(), List.copyOf(chosen));
            }
        }
        return new DelayedTables(out, matching);
    }

    private static void unmatched(String message, boolean allowUnmatched, List<String> warnings) {
        if (!allowUnmatched) {
            throw MigrationException.usage(message + "; fix the pattern, or pass --allow-unmatched-delay");
        }
        warnings.add(message);
    }

    public List<TableRef> of(String database) {
        return byDatabase.getOrDefault(database, List.of());
    }

    public Set<String> keysOf(String database) {
        return of(database).stream().map(TableRef::key).collect(Collectors.toSet());
    }

    public boolean isEmpty() {
        return byDatabase.isEmpty();
    }

    /** pg_dump arguments naming exactly these tables, e.g. {@code --exclude-table-data="public"."events"}. */
    public static List<String> pgDumpArgs(String option, List<TableRef> tables) {
        return tables.stream().map(t -> option + "=" + TablePattern.exactPgDumpPattern(t.schema(), t.name())).toList();
    }

    /** The database's patterns that matched tables. */
    public List<TablePattern> patternsOf(String database) {
        return patterns.getOrDefault(database, List.of());
    }

    /**
     * pg_dump arguments with the database's patterns, e.g. {@code --table="fact_"*}: as many as the user gave,
     * whatever the number of tables they match. pg_dump's patterns also match relations that are not delayed tables
     * (sequences, materialized views, tables of the system schemas or of extensions, tables created since): the
     * caller deals with those.
     */
    public List<String> pgDumpPatternArgs(String option, String database) {
        return patternsOf(database).stream().map(p -> option + "=" + p.pgDumpPattern()).distinct().toList();
    }

    /** "3 table(s) in 2 database(s): "a"."public"."t", ... and 1 more", naming the first {@code shown}. */
    public String describe(int shown) {
        List<String> tables = byDatabase.entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(t -> Identifiers.quote(e.getKey()) + "." + t.key())).toList();
        return tables.size() + " table(s) in " + byDatabase.size() + " database(s): " + Names.firstOf(tables, shown);
    }

    @Override
    public String toString() {
        return byDatabase.entrySet().stream()
                .map(e -> Identifiers.quote(e.getKey()) + ": " + e.getValue())
                .collect(Collectors.joining("; "));
    }
}
