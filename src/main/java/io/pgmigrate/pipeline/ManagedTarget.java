package io.pgmigrate.pipeline;

import io.pgmigrate.MigrationException;
import io.pgmigrate.config.Endpoint;
import io.pgmigrate.config.MigrationConfig;
import io.pgmigrate.postgres.Connections;
import io.pgmigrate.postgres.DatabaseInfo;
import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.postgres.ServerInfo;
import io.pgmigrate.postgres.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A target whose login is not a superuser but has CREATEROLE and CREATEDB, as managed services (Amazon RDS, Cloud SQL,
 * Azure) give. Such a login creates the roles and databases, and restores each role's objects once it is a member of
 * that role ({@link LoginMemberships}); what it cannot reproduce faithfully stops the run before any change, named on
 * one line: roles with SUPERUSER, REPLICATION or BYPASSRLS, objects a superuser owns, non-default tablespaces,
 * functions in untrusted languages (C among them), event triggers, procedural languages and foreign-data wrappers
 * not from an extension, extensions the target does not trust, FOR ALL TABLES publications, subscriptions, changed
 * privileges on pg_catalog's or extensions' objects, privileges granted by a role other than the owner, and settings
 * only a superuser may give a role or database. Each of these was
 * seen to fail for such a login on 15 and 17. Before 15 a database such a login creates has a public schema owned by
 * the bootstrap superuser, whose owner and privileges it cannot restore: a target before 15 needs a superuser login.
 */
final class ManagedTarget {
    static final int OLDEST_VERSION_NUM = 150000;
    private static final int NAMED = 10;

    private ManagedTarget() {
    }

    /**
     * Whether the target is treated as managed: its login is not a superuser. Exit 3, as for any login that is not
     * a superuser, unless the target is 15 or newer and the login has CREATEROLE and CREATEDB.
     */
    static boolean detect(Endpoint target, ServerInfo info) throws SQLException {
        if (info.superuser()) {
            return false;
        }
        boolean createRole;
        boolean createDb;
        try (Connection c = Connections.open(target, target.database());
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(Sql.get("managed_login"))) {
            rs.next();
            createRole = rs.getBoolean(1);
            createDb = rs.getBoolean(2);
        }
        if (info.versionNum() < OLDEST_VERSION_NUM || !createRole || !createDb) {
            ServerChecks.requireSuperuser(target, info, "the run creates the roles and restores objects owned by "
                    + "each of them (a login that is not one needs CREATEROLE and CREATEDB, on a target of "
                    + "PostgreSQL 15 or newer: this one " + (info.versionNum() < OLDEST_VERSION_NUM
                    ? "is PostgreSQL " + info.majorVersion() : "lacks " + (createRole ? "CREATEDB" : "CREATEROLE"))
                    + ")");
        }
        return true;
    }

    /**
     * Before any change: exit 3 on one line naming what the login cannot reproduce (the first few of each kind),
     * read from the source ({@code survey} holds each database's) and the target.
     */
    static void requireReproducible(MigrationConfig config, SourceSurvey survey, List<DatabaseInfo> databases)
            throws SQLException {
        Endpoint source = config.source();
        Endpoint target = config.target();
        String login = target.user();
        List<String> refused = new ArrayList<>();
        Set<String> trusted;
        String targetBootstrap;
        try (Connection t = Connections.open(target, target.database())) {
            trusted = new HashSet<>(Sql.strings(t, "trusted_extensions"));
            targetBootstrap = Sql.strings(t, "bootstrap_superuser").get(0);
            Set<String> selected = new HashSet<>(databases.stream().map(DatabaseInfo::name).toList());
            Set<String> unsettable = new TreeSet<>();
            try (Connection s = Connections.open(source, source.database())) {
                if (config.migrateGlobals()) {
                    Sql.strings(s, "managed_refused_roles", login, targetBootstrap)
                            .forEach(r -> refused.add("role " + r));
                    List<String> roles = new ArrayList<>(Sql.strings(s, "role_names"));
                    roles.removeIf(r -> r.equals(login) || r.equals(targetBootstrap) || r.startsWith("pg_"));
                    Sql.strings(t, "managed_unmanageable_roles", LoginMemberships.json(roles)).forEach(r -> refused.add(
                            "role on the target already, which the login may not alter nor grant itself: " + r));
                    if (!config.noTablespaces()) {
                        try (Statement st = s.createStatement();
                             ResultSet rs = st.executeQuery(Sql.get("tablespaces"))) {
                            while (rs.next()) {
                                refused.add("tablespace " + Identifiers.quote(rs.getString(1)));
                            }
                        }
                    }
                }
                try (Statement st = s.createStatement();
                     ResultSet rs = st.executeQuery(Sql.get("managed_source_settings"))) {
                    while (rs.next()) {
                        String role = rs.getString(1);
                        String database = rs.getString(2);
                        boolean replayed = database == null ? config.migrateGlobals() && role != null
                                && !role.equals(login) && !role.equals(targetBootstrap) : selected.contains(database);
                        if (replayed && !settable(t, rs.getString(3))) {
                            unsettable.add(rs.getString(3) + " (" + (role == null ? "" : "role "
                                    + Identifiers.quote(role)) + (role != null && database != null ? " " : "")
                                    + (database == null ? "" : "database " + Identifiers.quote(database)) + ")");
                        }
                    }
                }
            }
            unsettable.forEach(u -> refused.add("setting only a superuser may give: " + u));
        }
        Set<String> untrusted = new LinkedHashSet<>();
        survey.databases().forEach((db, found) -> {
            found.extensions().keySet().stream().filter(e -> !e.equals("plpgsql") && !trusted.contains(e))
                    .forEach(e -> untrusted.add(Identifiers.quote(e)));
            found.managedRefusals().forEach(r -> refused.add(Identifiers.quote(db) + ": " + r));
        });
        untrusted.forEach(e -> refused.add("extension not trusted on the target: " + e));
        if (!refused.isEmpty()) {
            throw MigrationException.environment("the target login " + Identifiers.quote(login) + " is not a "
                    + "superuser (a managed target), and cannot reproduce " + refused.size() + " object(s) faithfully: "
                    + String.join("; ", refused.stream().limit(NAMED).toList())
                    + (refused.size() > NAMED ? "; ..." : "") + "; change them on the source (or leave their "
                    + "databases out with --exclude-db; tablespaces: --no-tablespaces), or migrate as a superuser");
        }
    }

    /** Whether the target login may give a role or database the setting {@code name} (ALTER ... SET). */
    private static boolean settable(Connection target, String name) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement(Sql.get("managed_settable"))) {
            ps.setString(1, name);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** What one source database holds that such a login cannot restore, as "kind: object" lines. */
    static List<String> refusals(Connection source, String login) throws SQLException {
        List<String> out = new ArrayList<>(Sql.strings(source, "managed_refused_objects", login, login));
        out.addAll(Sql.strings(source, "managed_refused_grants"));
        if (source.getMetaData().getDatabaseMajorVersion() >= 10) {
            out.addAll(Sql.strings(source, "managed_refused_publications"));
        }
        return out;
    }
}
