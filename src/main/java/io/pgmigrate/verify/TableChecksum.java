package io.pgmigrate.verify;

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
import java.util.Map;
import java.util.TreeMap;

/**
 * An order-independent checksum of every row of a table, computed by the server: the md5 of each row's text (its
 * columns in the order of their names), summed as two 64-bit halves, with the row count. The session settings that
 * change how a value is printed are pinned, and floats are taken in their binary form, wherever they are nested
 * ({@link ChecksumExpression}), since 12 prints them differently from earlier versions: so equal rows give equal
 * checksums on any two versions.
 */
final class TableChecksum {
    /** Settings that make a value's text the same on every server version. */
    static final List<String> PINNED = List.of("SET extra_float_digits = 3", "SET DateStyle = 'ISO, YMD'",
            "SET IntervalStyle = 'postgres'", "SET TimeZone = 'UTC'", "SET bytea_output = 'hex'",
            "SET lc_monetary = 'C'");

    private TableChecksum() {
    }

    static void pin(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String sql : PINNED) {
                st.execute(sql);
            }
        }
    }

    /** "rows:sum1:sum2" of one table; the connection must be pinned. */
    static String of(Connection c, TableRef table) throws SQLException {
        String name = Identifiers.quote(table.schema()) + "." + Identifiers.quote(table.name());
        // by name: pg_dump leaves inherited columns out of a child's CREATE TABLE, so a column added to the parent
        // later comes back before the child's own ones
        Map<String, Long> columns = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(Sql.get("table_columns"))) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        ChecksumExpression expression = new ChecksumExpression(c);
        List<String> expressions = new ArrayList<>();
        for (Map.Entry<String, Long> column : columns.entrySet()) {
            expressions.add(expression.of(Identifiers.quote(column.getKey()), column.getValue()));
        }
        String sql = "SELECT count(*) || ':' || coalesce(sum(('x' || substr(h, 1, 16))::bit(64)::bigint), 0)"
                + " || ':' || coalesce(sum(('x' || substr(h, 17, 16))::bit(64)::bigint), 0)"
                + " FROM (SELECT md5(ROW(" + String.join(", ", expressions) + ")::text) AS h FROM ONLY " + name + ") s";
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
