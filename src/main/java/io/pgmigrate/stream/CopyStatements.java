package io.pgmigrate.stream;

import io.pgmigrate.postgres.Identifiers;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The SQL of one table's copy: always with an explicit column list, identifiers quoted. */
final class CopyStatements {
    private CopyStatements() {
    }

    /** Read side: {@code COPY "s"."t" ("a", "b") TO STDOUT}; COPY TO reads only the table itself, never children. */
    static String copyOut(CopyTable t, boolean binary) {
        return "COPY " + t.key() + columnList(t) + " TO STDOUT" + (binary ? " WITH (FORMAT binary)" : "");
    }

    /**
     * Read side of a part: {@code COPY (SELECT "a", "b" FROM ONLY "s"."t" WHERE "id" >= 10 AND "id" < 20) TO STDOUT},
     * or {@code WHERE ctid >= '(10,0)'::tid AND ctid < '(20,0)'::tid} for a table cut by blocks.
     */
    static String copyOut(CopyPart part, boolean binary) {
        if (part.isWhole()) {
            return copyOut(part.table(), binary);
        }
        CopyTable t = part.table();
        CopyTable.Bounds b = t.bounds();
        List<String> conditions = new ArrayList<>();
        if (part.lo() != null) {
            conditions.add(b.expression() + " >= " + b.literal(part.lo()));
        }
        if (part.hi() != null) {
            conditions.add(b.expression() + " < " + b.literal(part.hi()));
        }
        String columns = t.columns().stream().map(Identifiers::quote).collect(Collectors.joining(", "));
        return "COPY (SELECT " + columns + " FROM ONLY " + t.key() + " WHERE " + String.join(" AND ", conditions)
                + ") TO STDOUT" + (binary ? " WITH (FORMAT binary)" : "");
    }

    /** Write side; FREEZE only right after a TRUNCATE in the same transaction. */
    static String copyIn(CopyTable t, boolean binary, boolean freeze) {
        String options = (binary ? "FORMAT binary" : "") + (freeze ? (binary ? ", " : "") + "FREEZE" : "");
        return "COPY " + t.key() + columnList(t) + " FROM STDIN" + (options.isEmpty() ? "" : " WITH (" + options + ")");
    }

    static String truncate(CopyTable t) {
        return "TRUNCATE ONLY " + t.key();
    }

    /** " (a, b)"; nothing for a table without columns (COPY copies its rows as empty lines). */
    private static String columnList(CopyTable t) {
        if (t.columns().isEmpty()) {
            return "";
        }
        return t.columns().stream().map(Identifiers::quote).collect(Collectors.joining(", ", " (", ")"));
    }
}
