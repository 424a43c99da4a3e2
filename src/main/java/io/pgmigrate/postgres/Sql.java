package io.pgmigrate.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The SQL the tool runs, kept in {@code src/main/resources/sql/NAME.sql}. */
public final class Sql {
    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private Sql() {
    }

    public static String get(String name) {
        return CACHE.computeIfAbsent(name, Sql::load);
    }

    /** One query written in several files, each going on from the one before (a shared start of CTEs). */
    public static String joined(String... names) {
        StringBuilder out = new StringBuilder();
        for (String name : names) {
            out.append(get(name)).append('\n');
        }
        return out.toString();
    }

    /** The first column of every row of the query {@code name}, run with {@code parameters} (as text). */
    public static List<String> strings(Connection c, String name, String... parameters) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(get(name))) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setString(i + 1, parameters[i]);
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    private static String load(String name) {
        String path = "/sql/" + name + ".sql";
        try (InputStream in = Sql.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing SQL resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
