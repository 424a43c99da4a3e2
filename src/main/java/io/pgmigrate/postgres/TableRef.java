package io.pgmigrate.postgres;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** A table by schema and name; {@link #key()} is its quoted, unambiguous name, used in count files and reports. */
public record TableRef(String schema, String name) {

    public String key() {
        return Identifiers.quote(schema) + "." + Identifiers.quote(name);
    }

    /** The relations the query {@code sqlName} lists, a schema and a name a row. */
    public static List<TableRef> list(Statement st, String sqlName) throws SQLException {
        List<TableRef> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(Sql.get(sqlName))) {
            while (rs.next()) {
                out.add(new TableRef(rs.getString(1), rs.getString(2)));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return key();
    }
}
