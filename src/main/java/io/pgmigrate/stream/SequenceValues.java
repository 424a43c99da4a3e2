package io.pgmigrate.stream;

import io.pgmigrate.postgres.Sql;
import io.pgmigrate.postgres.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The values of the source's sequences, which stream mode sets on the target itself: its schema archive holds no
 * data section, so no SEQUENCE SET entry (pg_dump would need one {@code --exclude-table-data} per copied table to
 * keep that section without the tables' rows). Read as pg_dump reads them ({@code SELECT last_value, is_called}),
 * set as pg_restore sets them ({@code setval(name, last_value, is_called)}).
 */
public record SequenceValues(List<Value> values) {
    /**
     * Sequences read per query ({@code UNION ALL}), so 8,000 sequences take 400 round trips, not 8,000; planning
     * grows faster than the number of branches: 500 a query read 8,000 sequences about 5x slower than 20 (measured).
     */
    private static final int PER_QUERY = 20;

    public record Value(TableRef sequence, long lastValue, boolean called) {
    }

    /** The sequences of {@code stream_sequences} and their values; {@code st} runs in the caller's snapshot. */
    public static SequenceValues read(Statement st) throws SQLException {
        return read(st, TableRef.list(st, "stream_sequences"));
    }

    /** The values of these sequences; {@code st} runs in the caller's snapshot. */
    public static SequenceValues read(Statement st, List<TableRef> sequences) throws SQLException {
        Value[] out = new Value[sequences.size()];
        for (int from = 0; from < sequences.size(); from += PER_QUERY) {
            int to = Math.min(sequences.size(), from + PER_QUERY);
            String sql = IntStream.range(from, to).mapToObj(i -> "SELECT " + i + ", last_value, is_called FROM "
                    + sequences.get(i).key()).collect(Collectors.joining(" UNION ALL "));
            try (ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    int i = rs.getInt(1);
                    out[i] = new Value(sequences.get(i), rs.getLong(2), rs.getBoolean(3));
                }
            }
        }
        return new SequenceValues(List.of(out));
    }

    /** Sets every sequence on the target (they exist once the pre-data section is in). */
    public void set(Connection target) throws SQLException {
        if (values.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = target.prepareStatement(Sql.get("set_sequences"))) {
            ps.setArray(1, target.createArrayOf("text", values.stream().map(v -> v.sequence().schema()).toArray()));
            ps.setArray(2, target.createArrayOf("text", values.stream().map(v -> v.sequence().name()).toArray()));
            ps.setArray(3, target.createArrayOf("int8", values.stream().map(Value::lastValue).toArray()));
            ps.setArray(4, target.createArrayOf("bool", values.stream().map(Value::called).toArray()));
            ps.executeQuery().close();
        }
    }
}
