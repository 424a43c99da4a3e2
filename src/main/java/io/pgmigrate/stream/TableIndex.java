package io.pgmigrate.stream;

import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.postgres.Sql;
import io.pgmigrate.postgres.TableRef;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An index stream mode builds itself as soon as its table's data is in, instead of leaving it to the post-data
 * restore: a plain index, or the unique index of a PRIMARY KEY or UNIQUE constraint, built as an index (so it runs
 * alongside the table's other index builds) and attached to its constraint afterwards.
 *
 * @param oid        the index on the source: pg_restore's table of contents names it so
 * @param definition {@code pg_get_indexdef} on the source, read with an empty search_path (every name qualified)
 * @param constraint the constraint the index backs, or null
 * @param comment    the comment on the index (on the constraint, for a constraint's index), or null
 */
public record TableIndex(TableRef table, long oid, String name, String definition, Constraint constraint,
                         String comment) {

    private static final Pattern CREATE = Pattern.compile("^CREATE (UNIQUE )?INDEX ");

    /** A PRIMARY KEY or UNIQUE constraint, attached to its index once that is built. */
    public record Constraint(long oid, boolean primaryKey, boolean deferrable, boolean deferred) {
    }

    /** The index's CREATE statement, a no-op where the index exists already (a resumed run). */
    public String createStatement() {
        var m = CREATE.matcher(definition);
        if (!m.find()) {
            throw new IllegalStateException("not an index definition: " + definition);
        }
        return m.replaceFirst("CREATE " + (m.group(1) == null ? "" : "UNIQUE ") + "INDEX IF NOT EXISTS ");
    }

    /** The ALTER TABLE clause that makes the built index the constraint's (same name as the index). */
    public String attachClause() {
        String quoted = Identifiers.quote(name);
        return "ADD CONSTRAINT " + quoted + (constraint.primaryKey() ? " PRIMARY KEY" : " UNIQUE") + " USING INDEX "
                + quoted + (constraint.deferrable() ? " DEFERRABLE" : "")
                + (constraint.deferred() ? " INITIALLY DEFERRED" : "");
    }

    /**
     * The COMMENT statement of the index or its constraint, or null. (pg_restore restores a comment only with the
     * object it is on: left out of its list with the object, it is the tool's to restore.)
     */
    public String commentStatement() {
        if (comment == null) {
            return null;
        }
        String on = constraint == null ? "INDEX " + Identifiers.quote(table.schema()) + "." + Identifiers.quote(name)
                : "CONSTRAINT " + Identifiers.quote(name) + " ON " + table.key();
        return "COMMENT ON " + on + " IS " + Identifiers.literal(comment);
    }

    /**
     * The indexes of every table stream mode may build itself, by table (in name order). {@code st} runs in the
     * transaction (and snapshot) the caller set up; its search_path is emptied for the duration of the read.
     */
    public static Map<TableRef, List<TableIndex>> read(Statement st) throws SQLException {
        Map<TableRef, List<TableIndex>> out = new LinkedHashMap<>();
        st.execute("SET LOCAL search_path = ''");
        try (ResultSet rs = st.executeQuery(Sql.get("stream_indexes"))) {
            while (rs.next()) {
                TableRef table = new TableRef(rs.getString("table_schema"), rs.getString("table_name"));
                long constraintOid = rs.getLong("constraint_oid");
                Constraint constraint = rs.wasNull() ? null : new Constraint(constraintOid,
                        "p".equals(rs.getString("constraint_type")), rs.getBoolean("deferrable"),
                        rs.getBoolean("deferred"));
                out.computeIfAbsent(table, t -> new ArrayList<>()).add(new TableIndex(table, rs.getLong("index_oid"),
                        rs.getString("index_name"), rs.getString("definition"), constraint,
                        rs.getString("comment")));
            }
        }
        return out;
    }
}
