package io.pgmigrate.pipeline;

import io.pgmigrate.config.Endpoint;
import io.pgmigrate.config.MigrationConfig;
import io.pgmigrate.postgres.Connections;
import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.postgres.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owners of extensions, which pg_dump does not carry: restored by the tool's login, every extension would be its
 * own. Since 13 a role that is not a superuser may create a trusted extension (pgcrypto, hstore, citext ...) in a
 * database where it may create, and then owns it: it alone may update or drop it. So the restore creates an
 * extension another role owns under that role ({@code pg_restore --role}, at the extension's place in the list:
 * {@link ArchiveRestore}), as it did on the source. An owner that could not (not a superuser, and the extension is
 * not trusted on the target or the role may no longer create in the database) is warned of before any change; its
 * extension is created by the login, and the verification names it.
 */
final class ExtensionOwners {
    private static final Logger log = LoggerFactory.getLogger(ExtensionOwners.class);
    private static final long PG_EXTENSION = 3079;
    private static final int NAMED = 3;

    /** An extension of a source database and its owner there ({@code extension} quoted, {@code name} as stored). */
    record Owned(long oid, String extension, String name, String owner, boolean superuser, boolean canCreate) {
        /** True when its owner can create it on a target that trusts the extensions {@code trusted}. */
        boolean creatableByOwner(Set<String> trusted) {
            return superuser || canCreate && trusted.contains(name);
        }

        RestoreList.CatalogObject entry() {
            return new RestoreList.CatalogObject(PG_EXTENSION, oid);
        }
    }

    private ExtensionOwners() {
    }

    /** The extensions of the source database {@code c} that a role other than {@code login} owns. */
    static List<Owned> ownedByOthers(Connection c, String login) throws SQLException {
        List<Owned> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(Sql.get("extension_owners"))) {
            while (rs.next()) {
                if (!rs.getString("owner").equals(login)) {
                    out.add(new Owned(rs.getLong("oid"), rs.getString("extension"), rs.getString("name"),
                            rs.getString("owner"), rs.getBoolean("superuser"), rs.getBoolean("can_create")));
                }
            }
        }
        return out;
    }

    /** Before any change: the warning naming the extensions that the login, not their owner, will create. */
    static List<String> warnings(Endpoint target, SourceSurvey survey) throws SQLException {
        Set<String> trusted;
        try (Connection c = Connections.open(target, target.database())) {
            trusted = new HashSet<>(Sql.strings(c, "trusted_extensions"));
        }
        List<String> lost = new ArrayList<>();
        survey.databases().forEach((db, found) -> found.ownedByOthers().stream()
                .filter(e -> !e.creatableByOwner(trusted))
                .forEach(e -> lost.add(Identifiers.quote(db) + ": " + e.extension() + " (owner "
                        + Identifiers.quote(e.owner()) + ")")));
        if (lost.isEmpty()) {
            return List.of();
        }
        return List.of("pg_dump does not carry an extension's owner, and pg-migrate creates each under its owner's "
                + "role where the target lets that role create it: " + lost.size() + " extension(s) will belong to "
                + Identifiers.quote(target.user()) + " instead, their owner being no superuser and the extension not "
                + "trusted on the target or the owner no longer allowed to create in the database: "
                + Names.firstOf(lost, NAMED) + " (the verification reports each)");
    }

    /**
     * The entries of the extensions of {@code db} to create under their owner's role, with that role: those a role
     * other than the login owns, that the owner can create and that exists on the target.
     */
    static Map<RestoreList.CatalogObject, Owned> createdByOwners(MigrationConfig config, String db)
            throws SQLException {
        List<Owned> owned;
        try (Connection c = Connections.open(config.source(), db)) {
            owned = ownedByOthers(c, config.target().user());
        }
        Map<RestoreList.CatalogObject, Owned> out = new LinkedHashMap<>();
        if (owned.isEmpty()) {
            return out;
        }
        try (Connection c = Connections.open(config.target(), db)) {
            Set<String> trusted = new HashSet<>(Sql.strings(c, "trusted_extensions"));
            Set<String> roles = new HashSet<>(Sql.strings(c, "role_names"));
            for (Owned e : owned) {
                if (e.creatableByOwner(trusted) && roles.contains(e.owner())) {
                    out.put(e.entry(), e);
                } else {
                    log.warn("creating the extension {} as {}: its owner {} cannot create it on the target",
                            e.extension(), Identifiers.quote(config.target().user()), Identifiers.quote(e.owner()));
                }
            }
        }
        return out;
    }

    /**
     * Grants CREATE on the target database to the owner of {@code owned} when it is no superuser and lacks it there
     * (pg_restore --role then creates a trusted extension as that role); true when it did. The database's privileges
     * come last ({@link DatabaseCreator#applyProperties}): an owner that may create in a database it does not own has
     * it from the source database's own privileges. Those revoke only PUBLIC's and the database owner's before
     * granting, not the lent privilege: {@link #takeBackCreate} takes it back as soon as the extension is made (on a
     * failure or Ctrl-C too), and a run killed in between leaves the database marked as restoring, which the next run
     * re-creates.
     */
    static boolean lendCreate(MigrationConfig config, String db, Owned owned) throws SQLException {
        if (owned.superuser()) {
            return false;
        }
        try (Connection c = Connections.open(config.target(), db);
             PreparedStatement ps = c.prepareStatement("SELECT has_database_privilege(?, current_database(), 'CREATE')")) {
            ps.setString(1, owned.owner());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return false;
                }
            }
            try (Statement st = c.createStatement()) {
                st.execute("GRANT CREATE ON DATABASE " + Identifiers.quote(db) + " TO " + Identifiers.quote(owned.owner()));
            }
            return true;
        }
    }

    static void takeBackCreate(MigrationConfig config, String db, Owned owned) throws SQLException {
        try (Connection c = Connections.open(config.target(), db); Statement st = c.createStatement()) {
            st.execute("REVOKE CREATE ON DATABASE " + Identifiers.quote(db) + " FROM " + Identifiers.quote(owned.owner()));
        }
    }
}
