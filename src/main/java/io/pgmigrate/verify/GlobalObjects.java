package io.pgmigrate.verify;

import io.pgmigrate.postgres.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The global objects of a server as "kind name" -> definition (roles, memberships, role settings), each with the
 * role it belongs to (a membership: its member) and, for a membership, the role the member is in: so what is the
 * target's own business can be left out.
 */
final class GlobalObjects {
    private record Entry(String kind, String definition, String role, String inRole) {
    }

    private final Map<String, Entry> entries = new TreeMap<>();

    private GlobalObjects() {
    }

    /** {@code salt}: the key of the password hashes' digest, the same for both servers. */
    static GlobalObjects read(Connection c, String salt) throws SQLException {
        GlobalObjects out = new GlobalObjects();
        try (PreparedStatement ps = c.prepareStatement(Sql.get("globals_catalog"))) {
            ps.setString(1, salt);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.entries.put(Descriptions.key(rs.getString(1), rs.getString(2)),
                            new Entry(rs.getString(1), rs.getString(3), rs.getString(4), rs.getString(5)));
                }
            }
        }
        return out;
    }

    /** The roles, as quote_ident writes them. */
    Set<String> roles() {
        return entries.values().stream().filter(e -> e.kind().equals("role")).map(Entry::role)
                .collect(Collectors.toSet());
    }

    /**
     * The definitions without what the migration never makes: the target's own login role and its settings, and
     * the roles only on the target (a managed service has its own) with their settings and the memberships they
     * hold. A membership in a target-only role stays, since it gives a migrated role rights it lacks on the source,
     * unless its member is the target's own login role.
     *
     * @param own        the target's own login role, as quote_ident writes it
     * @param targetOnly the roles only on the target, likewise
     */
    Map<String, String> comparable(String own, Set<String> targetOnly) {
        Map<String, String> out = new TreeMap<>();
        entries.forEach((key, e) -> {
            boolean targets = targetOnly.contains(e.role())
                    || e.role().equals(own) && (e.inRole() == null || targetOnly.contains(e.inRole()));
            if (!targets) {
                out.put(key, e.definition());
            }
        });
        return out;
    }
}
