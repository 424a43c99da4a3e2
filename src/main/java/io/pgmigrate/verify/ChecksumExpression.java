package io.pgmigrate.verify;

import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.postgres.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL expression a checksum takes of a value, by its type. Most values are taken as text, with the printing
 * settings pinned ({@link TableChecksum#PINNED}). Floats are not: 12 prints the shortest exact form (0.1) where
 * earlier versions print 17 digits (0.10000000000000001), so a float is taken in its binary form, {@code float8send},
 * wherever it sits: in a domain, a composite, a range or an array, nested as deep as the type is; the geometric types
 * (floats inside) by their own binary send functions ({@code point_send} ...). Types without a float anywhere in
 * them stay plain text. Every part keeps NULL apart from an empty value: a NULL array is not
 * {@code '{}'}, a NULL composite is not one whose fields are all NULL.
 *
 * <p>Both sides build the expression from their own catalog; the migrated schema gives them the same shape.
 */
final class ChecksumExpression {
    private final Connection c;
    private final Map<Long, Shape> shapes = new HashMap<>();
    private int aliases;

    ChecksumExpression(Connection c) {
        this.c = c;
    }

    /**
     * What a type is made of: {@code kind} as in type_shape.sql; {@code send} its binary send function; {@code inner}
     * the base, subtype or element type.
     */
    private record Shape(char kind, String name, String send, long inner, List<Field> fields) {
    }

    private record Field(String name, long type) {
    }

    /** The expression for {@code expr}, a value of type {@code type}. */
    String of(String expr, long type) throws SQLException {
        Shape s = shape(type);
        if (!hasFloat(type)) {
            return "(" + expr + ")::text";
        }
        return switch (s.kind()) {
            case 'f' -> "float8send((" + expr + ")::float8)";
            case 'g' -> "pg_catalog." + s.send() + "(" + expr + ")";
            case 'd' -> of("(" + expr + ")::" + shape(s.inner()).name(), s.inner());
            case 'c' -> composite(expr, s);
            case 'r' -> "CASE WHEN num_nulls(" + expr + ") = 1 THEN NULL WHEN isempty(" + expr + ") THEN 'empty' "
                    + "ELSE concat(CASE WHEN lower_inc(" + expr + ") THEN '[' ELSE '(' END, "
                    + of("lower(" + expr + ")", s.inner()) + ", ',', " + of("upper(" + expr + ")", s.inner())
                    + ", CASE WHEN upper_inc(" + expr + ") THEN ']' ELSE ')' END) END";
            case 'a' -> array(expr, s);
            default -> throw new IllegalStateException("type " + s.name() + " has no float in it");
        };
    }

    private String composite(String expr, Shape s) throws SQLException {
        List<String> fields = new ArrayList<>();
        for (Field f : s.fields()) {
            fields.add(of("(" + expr + ")." + Identifiers.quote(f.name()), f.type()));
        }
        return "CASE WHEN num_nulls(" + expr + ") = 1 THEN NULL ELSE ROW(" + String.join(", ", fields)
                + ")::text END";
    }

    /**
     * The bounds, then every element in storage order: a function scan of {@code unnest} yields them in that order
     * and the aggregate takes them as they come (no ORDER BY: WITH ORDINALITY would split a composite element).
     * The scan's alias stands for the whole element only while no field of it has the same name: hence its name.
     */
    private String array(String expr, Shape s) throws SQLException {
        String x = "checksum_element_" + ++aliases;
        return "CASE WHEN num_nulls(" + expr + ") = 1 THEN NULL ELSE coalesce(array_dims(" + expr + "), '') || ':' || "
                + "coalesce((SELECT string_agg(coalesce((" + of(x, s.inner()) + ")::text, 'NULL'), ',') FROM unnest("
                + expr + ") AS " + x + "), '') END";
    }

    private boolean hasFloat(long type) throws SQLException {
        Shape s = shape(type);
        return switch (s.kind()) {
            case 'f', 'g' -> true;
            case 'd', 'r', 'a' -> hasFloat(s.inner());
            case 'c' -> {
                for (Field f : s.fields()) {
                    if (hasFloat(f.type())) {
                        yield true;
                    }
                }
                yield false;
            }
            default -> false;
        };
    }

    private Shape shape(long type) throws SQLException {
        Shape known = shapes.get(type);
        if (known != null) {
            return known;
        }
        Shape s;
        try (PreparedStatement ps = c.prepareStatement(Sql.get("type_shape"))) {
            ps.setLong(1, type);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no type with oid " + type);
                }
                char kind = rs.getString("kind").charAt(0);
                s = new Shape(kind, rs.getString("name"), rs.getString("send"), rs.getLong("inner_type"),
                        kind == 'c' ? fields(rs.getLong("typrelid")) : List.of());
            }
        }
        shapes.put(type, s);
        return s;
    }

    private List<Field> fields(long relation) throws SQLException {
        List<Field> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(Sql.get("composite_fields"))) {
            ps.setLong(1, relation);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Field(rs.getString(1), rs.getLong(2)));
                }
            }
        }
        return out;
    }
}
