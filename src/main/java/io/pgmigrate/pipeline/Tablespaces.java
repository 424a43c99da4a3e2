package io.pgmigrate.pipeline;

import io.pgmigrate.MigrationException;
import io.pgmigrate.config.Endpoint;
import io.pgmigrate.postgres.Connections;
import io.pgmigrate.postgres.DatabaseInfo;
import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.postgres.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The source's tablespaces on the target. By default each is created at the same location; {@code
 * --tablespace-location NAME=DIR} puts it elsewhere; {@code --no-tablespaces} creates none and restores every
 * object into the default tablespace. Before any change, every location the target will need is checked on the
 * target itself ({@code pg_stat_file}), so a missing folder stops the run with a clear line, not halfway.
 */
public final class Tablespaces {
    private static final int NAMED_DATABASES = 3;

    private final boolean skip;
    private final Map<String, String> locations;

    public Tablespaces(boolean skip, Map<String, String> locations) {
        this.skip = skip;
        this.locations = Map.copyOf(locations);
    }

    public boolean skip() {
        return skip;
    }

    /** Checks, before any change, that the target can create every source tablespace it lacks. */
    public void check(Endpoint source, Endpoint target) throws SQLException {
        if (skip) {
            return;
        }
        Map<String, String> onSource = new LinkedHashMap<>();
        try (Connection c = Connections.open(source, source.database()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(Sql.get("tablespaces"))) {
            while (rs.next()) {
                onSource.put(rs.getString(1), rs.getString(2));
            }
        }
        for (String name : locations.keySet()) {
            if (!onSource.containsKey(name)) {
                throw MigrationException.usage("--tablespace-location " + name + "=...: the source has no tablespace "
                        + Identifiers.quote(name) + " (it has " + onSource.keySet() + ")");
            }
        }
        try (Connection c = Connections.open(target, target.database())) {
            for (var e : onSource.entrySet()) {
                if (exists(c, e.getKey())) {
                    continue;
                }
                String location = locations.getOrDefault(e.getKey(), e.getValue());
                if (!isDirectory(c, location)) {
                    throw MigrationException.environment("tablespace " + Identifiers.quote(e.getKey()) + ": the folder "
                            + location + " does not exist on the target's machine; create it (owned by the server's OS "
                            + "user), put the tablespace elsewhere with --tablespace-location " + e.getKey()
                            + "=DIR, or restore everything into the default tablespace with --no-tablespaces");
                }
            }
        }
    }

    /**
     * With {@code --migrate-globals=false} the run creates no tablespace: before any change, every tablespace a
     * migrated database or one of its relations is in must exist on the target already, and a
     * {@code --tablespace-location}, which could not take effect, is refused.
     */
    public void checkPresent(Endpoint source, Endpoint target, List<DatabaseInfo> databases) throws SQLException {
        if (skip) {
            return;
        }
        if (!locations.isEmpty()) {
            throw MigrationException.usage("--tablespace-location " + locations.keySet().iterator().next() + "=...: "
                    + "--migrate-globals=false creates no tablespace, so it cannot take effect; leave it out (and "
                    + "create the tablespace on the target yourself), or let the run create it without "
                    + "--migrate-globals=false");
        }
        Map<String, List<String>> used = new TreeMap<>();
        for (DatabaseInfo db : databases) {
            Set<String> names = new TreeSet<>();
            if (!List.of("pg_default", "pg_global").contains(db.tablespace())) {
                names.add(db.tablespace());
            }
            try (Connection c = Connections.open(source, db.name())) {
                names.addAll(Sql.strings(c, "database_tablespaces"));
            }
            names.forEach(n -> used.computeIfAbsent(n, k -> new ArrayList<>()).add(db.name()));
        }
        try (Connection c = Connections.open(target, target.database())) {
            for (var e : used.entrySet()) {
                if (!exists(c, e.getKey())) {
                    throw MigrationException.environment("tablespace " + Identifiers.quote(e.getKey()) + ", used in "
                            + Names.firstOf(e.getValue().stream().map(Identifiers::quote).toList(), NAMED_DATABASES)
                            + ", does not exist on the target "
                            + "and --migrate-globals=false creates none; create it on the target, let the run create "
                            + "it without --migrate-globals=false, or restore everything into the default tablespace "
                            + "with --no-tablespaces");
                }
            }
        }
    }

    /** The globals statements with tablespaces left out or moved as asked. */
    public List<String> apply(List<String> statements) {
        List<String> out = new ArrayList<>();
        for (String sql : statements) {
            String upper = sql.stripLeading().toUpperCase(Locale.ROOT);
            boolean aboutTablespace = upper.startsWith("CREATE TABLESPACE") || upper.startsWith("ALTER TABLESPACE")
                    || upper.startsWith("COMMENT ON TABLESPACE") || upper.matches("(?s)(GRANT|REVOKE) .* ON TABLESPACE .*");
            if (skip && aboutTablespace) {
                continue;
            }
            out.add(upper.startsWith("CREATE TABLESPACE") ? relocate(sql) : sql);
        }
        return out;
    }

    /** "CREATE TABLESPACE name OWNER x LOCATION '...'" with the location replaced where one was given. */
    String relocate(String create) {
        String rest = create.stripLeading().substring("CREATE TABLESPACE".length()).stripLeading();
        Identifiers.Leading name = Identifiers.parseLeading(rest);
        String location = locations.get(name.name());
        if (location == null) {
            return create;
        }
        int at = lastIndexIgnoringCase(create, "LOCATION '");
        if (at < 0) {
            return create;
        }
        int end = at + "LOCATION '".length();
        while (end < create.length()) {
            if (create.charAt(end) == '\'') {
                if (end + 1 < create.length() && create.charAt(end + 1) == '\'') {
                    end += 2;
                    continue;
                }
                break;
            }
            end++;
        }
        return create.substring(0, at) + "LOCATION '" + location.replace("'", "''") + "'" + create.substring(end + 1);
    }

    /**
     * Where {@code word} last stands in {@code s}, whatever its case: an index into {@code s} itself (an upper-cased
     * copy is no guide, "ß" becoming "SS" in it).
     */
    private static int lastIndexIgnoringCase(String s, String word) {
        for (int i = s.length() - word.length(); i >= 0; i--) {
            if (s.regionMatches(true, i, word, 0, word.length())) {
                return i;
            }
        }
        return -1;
    }

    private static boolean exists(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_tablespace WHERE spcname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static boolean isDirectory(Connection c, String path) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT (pg_stat_file(?)).isdir")) {
            ps.setString(1, path);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            if ("58P01".equals(e.getSQLState())) { // undefined_file
                return false;
            }
            throw e;
        }
    }
}
