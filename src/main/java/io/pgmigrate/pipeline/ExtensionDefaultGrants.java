package io.pgmigrate.pipeline;

import io.pgmigrate.config.Endpoint;
import io.pgmigrate.postgres.Catalog;
import io.pgmigrate.postgres.Connections;
import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.postgres.PostgresErrors;
import io.pgmigrate.postgres.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The privileges an extension's objects got from the default privileges in force at CREATE EXTENSION ({@code ALTER
 * DEFAULT PRIVILEGES GRANT EXECUTE ON FUNCTIONS TO reader} of the role running the script): where the script itself
 * granted or revoked on an object, pg_init_privs holds its whole ACL as the extension's own, so pg_dump, which writes
 * only the changes from it, does not carry them, and the target's extension is created before any default privilege
 * is restored. They are granted again after the pre-data section (sql/extension_default_grants.sql).
 */
final class ExtensionDefaultGrants {
    private static final Logger log = LoggerFactory.getLogger(ExtensionDefaultGrants.class);
    private static final int PG_INIT_PRIVS = 90600;
    /**
     * The object is not on the target: its version of the extension has no such object (the verification names it).
     * 42704 (undefined_object) is a missing role too: the grantee is looked up first.
     */
    private static final Set<String> NO_SUCH_OBJECT = Set.of("42883", "42P01", "42704", "42703", "3F000");
    /** The target's version of the extension has an object of that name of another kind (the verification names it). */
    private static final String WRONG_OBJECT_TYPE = "42809";

    /** A grant to make, and the role it is made to. */
    private record Grant(String sql, String grantee) {
    }

    private ExtensionDefaultGrants() {
    }

    /**
     * Grants on the target database {@code db} those of the source's database of that name. Returns a line for each
     * grant not made, saying why: its role or its object is not on the target, or the object is of another kind.
     */
    static List<String> grant(Endpoint source, Endpoint target, String db) throws SQLException {
        List<Grant> grants = new ArrayList<>();
        try (Connection c = Connections.open(source, db); Statement st = c.createStatement()) {
            if (new Catalog(c).versionNum() < PG_INIT_PRIVS) {
                return List.of();
            }
            st.execute("SET search_path = ''"); // every name qualified
            try (ResultSet rs = st.executeQuery(Sql.joined("extension_member_objects", "extension_default_grants"))) {
                while (rs.next()) {
                    grants.add(new Grant(rs.getString(1), rs.getString(2)));
                }
            }
        }
        if (grants.isEmpty()) {
            return List.of();
        }
        int granted = 0;
        List<String> notGranted = new ArrayList<>();
        try (Connection c = Connections.open(target, db); Statement st = c.createStatement()) {
            Set<String> roles = new HashSet<>(Sql.strings(c, "role_names"));
            for (Grant grant : grants) {
                if (!roles.contains(grant.grantee())) {
                    notGranted.add("not granted: the role " + Identifiers.quote(grant.grantee()) + " does not exist on "
                            + "the target: " + grant.sql());
                    continue;
                }
                try {
                    st.execute(grant.sql());
                    granted++;
                } catch (SQLException e) {
                    if (NO_SUCH_OBJECT.contains(e.getSQLState())) {
                        notGranted.add("not granted: the target's version of the extension lacks the object ("
                                + PostgresErrors.oneLine(e) + "): " + grant.sql());
                    } else if (WRONG_OBJECT_TYPE.equals(e.getSQLState())) {
                        notGranted.add("not granted: the target's version of the extension has the object as another"
                                + " kind (" + PostgresErrors.oneLine(e) + "): " + grant.sql());
                    } else {
                        throw e;
                    }
                }
            }
        }
        log.info("granted {} privilege(s) that extensions' objects got from default privileges, which pg_dump does"
                + " not carry", granted);
        return notGranted;
    }
}
