package io.pgmigrate.pipeline;

import io.pgmigrate.config.Endpoint;
import io.pgmigrate.postgres.Connections;
import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.postgres.PostgresErrors;
import io.pgmigrate.postgres.Sql;
import io.pgmigrate.postgres.TableRef;
import io.pgmigrate.stream.CopyCatalog;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What pg_dump selects when given the {@code --delay-table-data} patterns themselves
 * ({@link DelayedTables#pgDumpPatternArgs}) rather than one argument per delayed table: the relations with data
 * (tables, sequences, materialized views) of one database, read in the dump's snapshot, and which of them the
 * patterns match beyond the delayed tables. pg_dump's patterns select sequences and materialized views too, and
 * tables the run did not resolve (an extension's, one created since).
 */
final class DelayedPatterns {
    /** A relation with data: {@code kind} is its relkind ({@code r}, {@code S}, {@code m}). */
    record Relation(long oid, TableRef table, String kind, boolean extensionMember) {
        /** A sequence whose value pg_dump writes as such (an extension's comes with its configuration, if at all). */
        boolean isPlainSequence() {
            return kind.equals("S") && !extensionMember;
        }

        @Override
        public String toString() {
            return table.key();
        }
    }

    private final List<Relation> relations;
    private final List<TablePattern> patterns;
    private final Set<String> delayedKeys;

    private DelayedPatterns(List<Relation> relations, List<TablePattern> patterns, Set<String> delayedKeys) {
        this.relations = relations;
        this.patterns = patterns;
        this.delayedKeys = delayedKeys;
    }

    /** The relations of {@code database} in {@code snapshot} (or now, without one). */
    static DelayedPatterns read(Endpoint source, String database, Optional<String> snapshot, DelayedTables delayed) {
        List<Relation> relations;
        try (Connection c = Connections.open(source, database)) {
            relations = CopyCatalog.inSnapshot(c, snapshot, st -> {
                List<Relation> out = new ArrayList<>();
                try (ResultSet rs = st.executeQuery(Sql.get("data_relations"))) {
                    while (rs.next()) {
                        out.add(new Relation(rs.getLong(1), new TableRef(rs.getString(2), rs.getString(3)),
                                rs.getString(4), rs.getBoolean(5)));
                    }
                }
                return out;
            });
        } catch (SQLException e) {
            throw PostgresErrors.sqlError("listing the relations of source database " + Identifiers.quote(database),
                    e);
        }
        return new DelayedPatterns(relations, delayed.patternsOf(database), delayed.keysOf(database));
    }

    private boolean delayed(Relation r) {
        return r.kind().equals("r") && delayedKeys.contains(r.table().key());
    }

    /** The source oids of the delayed tables. */
    Set<Long> delayedOids() {
        return relations.stream().filter(this::delayed).map(Relation::oid).collect(Collectors.toSet());
    }

    /** The relations with data that the patterns match and that are not delayed tables. */
    List<Relation> beyondDelayed() {
        return relations.stream().filter(r -> !delayed(r))
                .filter(r -> patterns.stream().anyMatch(p -> p.matches(r.table().schema(), r.table().name())))
                .toList();
    }
}
