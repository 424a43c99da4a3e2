package io.pgmigrate.pipeline;

import io.pgmigrate.config.Endpoint;
import io.pgmigrate.postgres.Connections;
import io.pgmigrate.postgres.DatabaseInfo;
import io.pgmigrate.postgres.ServerInfo;
import io.pgmigrate.postgres.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the checks before any change read inside each selected source database, in one pass: one login per
 * database, not one per check (a server of a thousand small databases made the checks a thousand logins each).
 * {@link ExtensionCheck}, {@link ExtensionOwners}, {@link UnloggedOnStandby}, {@link BuiltinFamilyMembers},
 * {@link SourceLocks} and {@link MissingRoles} judge it.
 */
final class SourceSurvey {
    private static final int INIT_PRIVS = 90600;
    private static final int SUBSCRIPTIONS = 100000;

    /**
     * One database's findings.
     *
     * @param extensions        extension name to version
     * @param modules           extension name to the modules of its C functions (pg_proc.probin)
     * @param lostFamilyMembers the members added to built-in or extensions' operator families that pg_dump leaves
     *                          out, one "family (members)" per family
     * @param lockedTables      the tables pg_dump locks
     * @param unlogged          the unlogged tables and sequences, quoted; read on a standby source only
     * @param ownedByOthers     the extensions a role other than the run's target login owns
     * @param roles             the roles its objects, properties and role settings name; read only when asked
     * @param managedRefusals   what a target login that is not a superuser cannot restore; read for such a target
     *                          only ({@link ManagedTarget})
     */
    record Database(Map<String, String> extensions, Map<String, Set<String>> modules, List<String> lostFamilyMembers,
                    int lockedTables, List<String> unlogged, List<ExtensionOwners.Owned> ownedByOthers,
                    Set<String> roles, List<String> managedRefusals) {
    }

    private final Map<String, Database> databases;

    private SourceSurvey(Map<String, Database> databases) {
        this.databases = databases;
    }

    /**
     * Reads every database of {@code selected} in its order; on a standby {@code info}, also its unlogged relations;
     * {@code login}: the target login, whose extensions need no owner of their own; {@code roles}: also the roles
     * each names; {@code managed}: that login is not a superuser, so also what it cannot restore.
     */
    static SourceSurvey read(Endpoint source, List<DatabaseInfo> selected, ServerInfo info, String login,
                             boolean roles, boolean managed) throws SQLException {
        Map<String, Database> out = new LinkedHashMap<>();
        for (DatabaseInfo db : selected) {
            try (Connection c = Connections.open(source, db.name())) {
                out.put(db.name(), read(c, info, login, roles, managed));
            }
        }
        return new SourceSurvey(out);
    }

    private static Database read(Connection c, ServerInfo info, String login, boolean withRoles, boolean managed)
            throws SQLException {
        Map<String, String> extensions = new TreeMap<>();
        rows(c, "database_extensions", rs -> extensions.put(rs.getString(1), rs.getString(2)));
        Map<String, Set<String>> modules = new TreeMap<>();
        rows(c, "extension_modules", rs -> modules.computeIfAbsent(rs.getString(1), k -> new HashSet<>())
                .add(rs.getString(2)));
        List<String> families = new ArrayList<>();
        rows(c, "builtin_family_members", rs -> {
            if (rs.getString("lost") != null) { // an operator class's members come with it
                families.add(rs.getString("name") + " (" + rs.getString("lost") + ")");
            }
        });
        int locked = Integer.parseInt(Sql.strings(c, "dump_locked_tables").get(0));
        List<String> unlogged = info.inRecovery() ? Sql.strings(c, "unlogged_relations") : List.of();
        Set<String> roles = new TreeSet<>();
        if (withRoles) {
            roles.addAll(Sql.strings(c, "database_roles"));
            roles.addAll(Sql.strings(c, "setting_roles"));
            if (info.versionNum() >= INIT_PRIVS) {
                roles.addAll(Sql.strings(c, "init_privs_roles"));
            }
            if (info.versionNum() >= SUBSCRIPTIONS) {
                roles.addAll(Sql.strings(c, "subscription_owners"));
            }
        }
        return new Database(extensions, modules, families, locked, unlogged, ExtensionOwners.ownedByOthers(c, login),
                roles, managed ? ManagedTarget.refusals(c, login) : List.of());
    }

    /** Each database's findings, in the order they were read. */
    Map<String, Database> databases() {
        return databases;
    }

    @FunctionalInterface
    private interface RowAction {
        void accept(ResultSet rs) throws SQLException;
    }

    private static void rows(Connection c, String sql, RowAction action) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(Sql.get(sql))) {
            while (rs.next()) {
                action.accept(rs);
            }
        }
    }
}
