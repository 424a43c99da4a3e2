package io.pgmigrate.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a database has beyond its contents and CREATE DATABASE's options: connection limit, template flag, comment,
 * privileges, {@code ALTER DATABASE ... SET} and {@code ALTER ROLE ... IN DATABASE ... SET}. pg_dump writes these only with
 * {@code --create}, so a createdb + pg_restore migration loses them; pg-migrate reads them from the source catalog
 * and applies them once the database is restored (a read-only default or a revoked CONNECT must not get in the
 * restore's way).
 */
public record DatabaseProperties(String database, int connectionLimit, boolean template, String comment,
                                 boolean hasAcl, List<Grant> grants, List<Setting> settings) {

    /** One privilege; a null grantee is PUBLIC. */
    public record Grant(String grantee, String privilege, boolean grantable, String grantor) {
    }

    /** One {@code name=value} of pg_db_role_setting; a null role is the database's own setting. */
    public record Setting(String role, String name, String value) {
    }

    /** Settings whose stored value is already a list of quoted items (pg_dump's GUC_LIST_QUOTE variables). */
    private static final Set<String> LIST_SETTINGS = Set.of("search_path", "temp_tablespaces",
            "local_preload_libraries", "session_preload_libraries", "shared_preload_libraries",
            "unix_socket_directories");

    public DatabaseProperties {
        grants = List.copyOf(grants);
        settings = List.copyOf(settings);
    }

    public static DatabaseProperties read(Connection c, String database) throws SQLException {
        int limit;
        boolean template;
        String comment;
        boolean hasAcl;
        try (PreparedStatement ps = c.prepareStatement(Sql.get("database_properties"))) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("database " + database + " not found");
                }
                limit = rs.getInt("datconnlimit");
                template = rs.getBoolean("datistemplate");
                comment = rs.getString("comment");
                hasAcl = rs.getBoolean("has_acl");
            }
        }
        List<Grant> grants = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(Sql.get("database_acl"))) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    grants.add(new Grant(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getString(4)));
                }
            }
        }
        List<Setting> settings = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(Sql.get("database_settings"))) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String s = rs.getString(2);
                    int eq = s.indexOf('=');
                    settings.add(new Setting(rs.getString(1), s.substring(0, eq), s.substring(eq + 1)));
                }
            }
        }
        return new DatabaseProperties(database, limit, template, comment, hasAcl, grants, settings);
    }

    /** The statements that give a target database these properties (run on any database of the target). */
    public List<String> statements(String owner) {
        String db = Identifiers.quote(database);
        List<String> out = new ArrayList<>();
        if (connectionLimit != -1) {
            out.add("ALTER DATABASE " + db + " CONNECTION LIMIT " + connectionLimit);
        }
        if (comment != null) {
            out.add("COMMENT ON DATABASE " + db + " IS " + Identifiers.literal(comment));
        }
        if (hasAcl) {
            // start from nothing, as pg_dump does, then grant exactly what the source has, in its order, each by its
            // grantor: a superuser's grant is recorded as the owner's, so one a role made with its grant option is
            // made as that role, as pg_dump does (SET SESSION AUTHORIZATION)
            out.add("REVOKE ALL ON DATABASE " + db + " FROM PUBLIC");
            out.add("REVOKE ALL ON DATABASE " + db + " FROM " + Identifiers.quote(owner));
            for (Grant g : grants) {
                boolean byOwner = g.grantor().equals(owner);
                if (!byOwner) {
                    out.add("SET ROLE " + Identifiers.quote(g.grantor()));
                }
                out.add("GRANT " + g.privilege() + " ON DATABASE " + db + " TO "
                        + (g.grantee() == null ? "PUBLIC" : Identifiers.quote(g.grantee()))
                        + (g.grantable() ? " WITH GRANT OPTION" : ""));
                if (!byOwner) {
                    out.add("RESET ROLE");
                }
            }
        }
        for (Setting s : settings) {
            out.add((s.role() == null ? "ALTER DATABASE " + db : "ALTER ROLE " + Identifiers.quote(s.role())
                    + " IN DATABASE " + db) + " SET " + Identifiers.quote(s.name()) + " TO " + value(s));
        }
        if (template) {
            out.add("ALTER DATABASE " + db + " IS_TEMPLATE true");
        }
        return out;
    }

    private static String value(Setting s) {
        return LIST_SETTINGS.contains(s.name().toLowerCase(Locale.ROOT)) ? listValue(s.value())
                : Identifiers.literal(s.value());
    }

    /**
     * A list setting's stored value (items separated by commas, each quoted as an identifier where it needs it, an
     * empty one as {@code ""}) as pg_dump writes it: each item a string literal. Pasted as it is, an empty item
     * would be refused (a zero-length identifier) and a long one cut to 63 bytes. A value that does not split is
     * given whole, as one literal.
     */
    static String listValue(String stored) {
        List<String> items = new ArrayList<>();
        int n = stored.length();
        int i = skipSpaces(stored, 0);
        if (i == n) {
            return Identifiers.literal(stored);
        }
        while (true) {
            StringBuilder item = new StringBuilder();
            if (stored.charAt(i) == '"') {
                i++;
                while (true) {
                    int quote = stored.indexOf('"', i);
                    if (quote < 0) {
                        return Identifiers.literal(stored);
                    }
                    item.append(stored, i, quote);
                    i = quote + 1;
                    if (i < n && stored.charAt(i) == '"') {
                        item.append('"');
                        i++;
                    } else {
                        break;
                    }
                }
            } else {
                int start = i;
                while (i < n && stored.charAt(i) != ',' && !isSpace(stored.charAt(i))) {
                    i++;
                }
                if (i == start) {
                    return Identifiers.literal(stored);
                }
                item.append(stored, start, i);
            }
            items.add(Identifiers.literal(item.toString()));
            i = skipSpaces(stored, i);
            if (i == n) {
                return String.join(", ", items);
            }
            if (stored.charAt(i) != ',') {
                return Identifiers.literal(stored);
            }
            i = skipSpaces(stored, i + 1);
            if (i == n) {
                return Identifiers.literal(stored);
            }
        }
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** C's isspace in the "C" locale, as the server's list splitting uses it. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }
}
