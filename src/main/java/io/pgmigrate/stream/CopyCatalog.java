package io.pgmigrate.stream;

import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.postgres.Sql;
import io.pgmigrate.postgres.TableRef;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads, from the source, the tables stream mode copies: in the database's snapshot when there is one. */
public final class CopyCatalog {
    /**
     * The first version with TID range scans: before it, {@code WHERE ctid >= ... AND ctid < ...} reads the whole
     * table for every range, so a table without an integer key is copied whole from older sources.
     */
    static final int TID_RANGE_SCANS = 140000;

    private CopyCatalog() {
    }

    /** The tables, largest first, none with key bounds. */
    public static List<CopyTable> read(Connection connection, Optional<String> snapshot) throws SQLException {
        return read(connection, snapshot, Long.MAX_VALUE);
    }

    /**
     * The tables, largest first; those of at least {@code splitMinBytes} come with what they can be cut along: the
     * bounds of their integer primary key in the snapshot, else, on a source with TID range scans, their block count.
     * {@code connection} is the caller's; it is left in autocommit mode.
     */
    public static List<CopyTable> read(Connection connection, Optional<String> snapshot, long splitMinBytes)
            throws SQLException {
        return inSnapshot(connection, snapshot, st -> {
            int version;
            try (ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int")) {
                rs.next();
                version = rs.getInt(1);
            }
            String sql = Sql.get("copy_tables").replace("{generated}",
                    version >= 120000 ? "a.attgenerated <> ''" : "false");
            List<CopyTable> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    Array columns = rs.getArray(4);
                    CopyTable table = new CopyTable(new TableRef(rs.getString(1), rs.getString(2)),
                            Arrays.asList((String[]) columns.getArray()), rs.getLong(3),
                            CopyTable.BinaryForm.valueOf(rs.getString(5).toUpperCase(Locale.ROOT)));
                    out.add(table.bytes() < splitMinBytes ? table : table.withBounds(
                            splitBy(rs.getString(6), rs.getLong(7), version)));
                }
            }
            for (int i = 0; i < out.size(); i++) {
                CopyTable t = out.get(i);
                if (t.bounds() instanceof CopyTable.KeyBounds key) {
                    out.set(i, t.withBounds(bounds(st, t, key.column())));
                }
            }
            return out;
        });
    }

    /**
     * The key (its bounds still to be read), else the blocks on a source with TID range scans, else nothing. A
     * rewrite (VACUUM FULL, CLUSTER) moves the snapshot's rows to other ctids, but it cannot come between two parts of
     * a table: the worker that copies the first part keeps the table's lock until its transaction ends, after the
     * last part; one before the first part moves the rows of every part alike.
     */
    private static CopyTable.Bounds splitBy(String key, long blocks, int version) {
        if (key != null) {
            return new CopyTable.KeyBounds(key, 0, 0);
        }
        return version >= TID_RANGE_SCANS ? new CopyTable.BlockBounds(blocks) : null;
    }

    /** min and max of the key, through its index; null for an empty table. */
    private static CopyTable.KeyBounds bounds(Statement st, CopyTable t, String column) throws SQLException {
        String key = Identifiers.quote(column);
        try (ResultSet rs = st.executeQuery("SELECT min(" + key + "), max(" + key + ") FROM ONLY " + t.key())) {
            rs.next();
            long min = rs.getLong(1);
            if (rs.wasNull()) {
                return null;
            }
            return new CopyTable.KeyBounds(column, min, rs.getLong(2));
        }
    }

    /** What {@link #inSnapshot} runs. */
    @FunctionalInterface
    public interface Read<T> {
        T from(Statement st) throws SQLException;
    }

    /**
     * Runs {@code read} in a read-only repeatable-read transaction, in {@code snapshot} when given, then rolls it
     * back. {@code connection} is the caller's; it is left in autocommit mode.
     */
    public static <T> T inSnapshot(Connection connection, Optional<String> snapshot, Read<T> read)
            throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement st = connection.createStatement()) {
            st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            if (snapshot.isPresent()) {
                st.execute("SET TRANSACTION SNAPSHOT " + Identifiers.literal(snapshot.get()));
            }
            return read.from(st);
        } finally {
            connection.rollback();
            connection.setAutoCommit(autoCommit);
        }
    }

}
