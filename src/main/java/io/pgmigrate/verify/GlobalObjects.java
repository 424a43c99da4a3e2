package io.pgmigrate.verify;

import io.pgmigrate.postgres.Sql;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The global objects of a server as "kind name" -> definition (roles, memberships, role settings), each with the
 * role it belongs to (a membership: its member) and, for a membership, the role the member is in: so what is the
 * target's own business can be left out. A role's stored password is kept apart, in memory only, and enters its
 * definition as a keyed digest.
 */
final class GlobalObjects {
    private record Entry(String kind, String definition, String role, String inRole) {
    }

    /** A role's name and stored password (hash or plain text): never printed. */
    private record Password(String rolname, String stored) {
        @Override
        public String toString() {
            return "password of " + rolname;
        }
    }

    private final Map<String, Entry> entries = new TreeMap<>();
    /** By role, as quote_ident writes it; roles without a password have none here. */
    private final Map<String, Password> passwords = new HashMap<>();

    private GlobalObjects() {
    }

    /**
     * {@code grants}: both servers are 16 or later, so each membership grant is compared with its options;
     * {@code passwords}: the login is a superuser, which may read the stored passwords.
     */
    static GlobalObjects read(Connection c, boolean grants, boolean passwords) throws SQLException {
        GlobalObjects out = new GlobalObjects();
        try (PreparedStatement ps = c.prepareStatement(Sql.get("globals_catalog"))) {
            ps.setBoolean(1, grants);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.entries.put(Descriptions.key(rs.getString(1), rs.getString(2)),
                            new Entry(rs.getString(1), rs.getString(3), rs.getString(4), rs.getString(5)));
                }
            }
        }
        if (passwords) {
            try (PreparedStatement ps = c.prepareStatement(Sql.get("role_passwords"));
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.passwords.put(rs.getString(1), new Password(rs.getString(2), rs.getString(3)));
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
     * Where {@code source} keeps a role's password in plain text (a server before 10 can), this server's stored
     * hash of the same role counts as the same password when it is a hash of that text (a faithful migration stores
     * nothing else): it then digests as the source's does. Only equal or different comes out of it.
     */
    void matchPlainTextOf(GlobalObjects source) {
        source.passwords.forEach((role, theirs) -> {
            Password mine = passwords.get(role);
            if (mine != null && PasswordHashes.isPlainText(theirs.stored())
                    && PasswordHashes.hashes(mine.stored(), theirs.stored(), theirs.rolname())) {
                passwords.put(role, theirs);
            }
        });
    }

    /**
     * The definitions without what the migration never makes: the target's own login role and its settings, and
     * the roles only on the target (a managed service has its own) with their settings and the memberships they
     * hold. A membership in a target-only role stays, since it gives a migrated role rights it lacks on the source,
     * unless its member is the target's own login role. A role's password is given as HMAC-SHA256 keyed with
     * {@code key} (the same for both servers, never written anywhere): the same stored value gives the same digest,
     * and no digest can be tested against a guessed password.
     *
     * @param own        the target's own login role, as quote_ident writes it
     * @param bootstrap  the target's bootstrap superuser, likewise: a source role of that name is compared without
     *                   its password, which the migration leaves as the target has it
     * @param targetOnly the roles only on the target, likewise
     * @param key        the digest's key, or null when passwords are not compared (a login that cannot read them)
     * @param ownMemberships whether the memberships of the target's login are compared: not when it is no superuser,
     *                   since it holds the roles it restores for the run, and from 16 on keeps the ADMIN OPTION that
     *                   CREATEROLE gave it on each role it created
     */
    Map<String, String> comparable(String own, String bootstrap, Set<String> targetOnly, byte[] key,
                                   boolean ownMemberships) {
        Map<String, String> out = new TreeMap<>();
        entries.forEach((k, e) -> {
            boolean targets = targetOnly.contains(e.role())
                    || e.role().equals(own) && (e.inRole() == null || targetOnly.contains(e.inRole())
                    || !ownMemberships && e.kind().equals("membership"));
            if (!targets) {
                // the target's bootstrap superuser keeps its password (the migration leaves it alone)
                out.put(k, e.kind().equals("role") && !e.role().equals(bootstrap) && key != null
                        ? e.definition() + " " + password(e.role(), key) : e.definition());
            }
        });
        return out;
    }

    private String password(String role, byte[] key) {
        Password p = passwords.get(role);
        if (p == null) {
            return "password=none";
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal(p.stored().getBytes(StandardCharsets.UTF_8));
            return "password_digest=" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
