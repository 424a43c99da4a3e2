package io.pgmigrate.stream;

import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.postgres.Sql;
import io.pgmigrate.postgres.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A foreign key stream mode adds itself as soon as both of its tables are finished, instead of leaving it to the
 * post-data restore that waits for every table of the database.
 *
 * @param oid        the constraint on the source: pg_restore's table of contents names it so
 * @param indexOid   the unique index on the source that the key references
 * @param definition {@code pg_get_constraintdef} on the source, read with an empty search_path
 * @param comment    the comment on the constraint, or null
 */
public record ForeignKey(long oid, String name, TableRef table, TableRef referenced, long indexOid,
                         String definition, String comment) {

    /** The statement that adds the key as pg_dump writes it; its check of every row runs then. */
    public String addStatement() {
        return "ALTER TABLE ONLY " + table.key() + " ADD CONSTRAINT " + Identifiers.quote(name) + " " + definition;
    }

    /** The statement that drops the key. */
    public String dropStatement() {
        return "ALTER TABLE ONLY " + table.key() + " DROP CONSTRAINT " + Identifiers.quote(name);
    }

    /** Whether the key is on the target already (added by an earlier run). */
    public boolean presentOn(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_catalog.pg_constraint "
                + "WHERE conrelid = ?::pg_catalog.regclass AND conname = ?")) {
            ps.setString(1, table.key());
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Adding a key failed; the key is kept for whoever can act on it. */
    public static final class AddFailed extends SQLException {
        private final transient ForeignKey key;

        public AddFailed(ForeignKey key, SQLException cause) {
            super("adding foreign key " + key.name() + " of " + key.table() + ": " + cause.getMessage(),
                    cause.getSQLState(), cause);
            this.key = key;
        }

        public ForeignKey key() {
            return key;
        }

        /** The rows break the key (SQLSTATE 23503). */
        public boolean violated() {
            return "23503".equals(getSQLState());
        }
    }

    /** The COMMENT statement, or null. */
    public String commentStatement() {
        return comment == null ? null : "COMMENT ON CONSTRAINT " + Identifiers.quote(name) + " ON " + table.key()
                + " IS " + Identifiers.literal(comment);
    }

    /**
     * The foreign keys between plain tables. {@code st} runs in the transaction (and snapshot) the caller set up;
     * its search_path is emptied for the duration of the read.
     */
    public static List<ForeignKey> read(Statement st) throws SQLException {
        List<ForeignKey> out = new ArrayList<>();
        st.execute("SET LOCAL search_path = ''");
        try (ResultSet rs = st.executeQuery(Sql.get("stream_foreign_keys"))) {
            while (rs.next()) {
                out.add(new ForeignKey(rs.getLong("constraint_oid"), rs.getString("name"),
                        new TableRef(rs.getString("table_schema"), rs.getString("table_name")),
                        new TableRef(rs.getString("referenced_schema"), rs.getString("referenced_name")),
                        rs.getLong("index_oid"), rs.getString("definition"), rs.getString("comment")));
            }
        }
        return out;
    }
}
