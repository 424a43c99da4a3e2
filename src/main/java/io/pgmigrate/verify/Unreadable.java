package io.pgmigrate.verify;

import io.pgmigrate.postgres.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;

/**
 * What one side of a verification cannot read: on a standby (in recovery), its unlogged tables and sequences, whose
 * contents are not WAL-logged and so never reach it ("cannot access temporary or unlogged relations during
 * recovery"). Their rows and values are not compared, and the report says so; their definitions are.
 *
 * @param side      "source" or "target"
 * @param relations names as quote_ident writes them ({@code schema.name}); none on a primary
 */
record Unreadable(String side, Set<String> relations) {

    static Unreadable of(Connection c, String side) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return new Unreadable(side, Set.of());
            }
        }
        return new Unreadable(side, Set.copyOf(Sql.strings(c, "unlogged_relations")));
    }

    boolean contains(String relation) {
        return relations.contains(relation);
    }

    /** Why a relation's contents were not compared: "not compared: the source is a standby, which ...". */
    String notCompared(String what) {
        return "not compared: the " + side + " is a standby, which cannot read unlogged " + what;
    }
}
