package io.pgmigrate.stream;

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
import java.util.Optional;

/** Reads, from the source, the tables stream mode copies: in the database's snapshot when there is one. */
public final class CopyCatalog {
    private CopyCatalog() {
    }

    /** The tables, largest first. {@code connection} is the caller's; it is left in autocommit mode. */
    public static List<CopyTable> read(Connection connection, Optional<String> snapshot) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement st = connection.createStatement()) {
            st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            if (snapshot.isPresent()) {
                st.execute("SET TRANSACTION SNAPSHOT " + literal(snapshot.get()));
            }
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
                    out.add(new CopyTable(new TableRef(rs.getString(1), rs.getString(2)),
                            Arrays.asList((String[]) columns.getArray()), rs.getLong(3), rs.getBoolean(5)));
                }
            }
            return out;
        } finally {
            connection.rollback();
            connection.setAutoCommit(autoCommit);
        }
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
