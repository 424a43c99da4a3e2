package io.pgmigrate.pipeline;

import io.pgmigrate.config.MigrationConfig;
import io.pgmigrate.postgres.Catalog;
import io.pgmigrate.postgres.Connections;
import io.pgmigrate.postgres.PostgresErrors;
import io.pgmigrate.postgres.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
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
    /** The object is not on the target: its version of the extension has no such object (the verification names it). */
    private static final Set<String> NO_SUCH_OBJECT = Set.of("42883", "42P01", "42704", "42703", "3F000");
    /** The target's version of the extension has an object of that name of another kind (the verification names it). */
    private static final String WRONG_OBJECT_TYPE = "42809";

    private ExtensionDefaultGrants() {
    }

    /** Grants on the target database {@code db} those of the source's database of that name. */
    static void grant(MigrationConfig config, String db) throws SQLException {
        List<String> grants = new ArrayList<>();
        try (Connection c = Connections.open(config.source(), db); Statement st = c.createStatement()) {
            if (new Catalog(c).versionNum() < PG_INIT_PRIVS) {
                return;
            }
            st.execute("SET search_path = ''"); // every name qualified
            try (ResultSet rs = st.executeQuery(Sql.joined("extension_member_objects", "extension_default_grants"))) {
                while (rs.next()) {
                    grants.add(rs.getString(1));
                }
            }
        }
        if (grants.isEmpty()) {
            return;
        }
        int granted = 0;
        try (Connection c = Connections.open(config.target(), db); Statement st = c.createStatement()) {
            for (String grant : grants) {
                try {
                    st.execute(grant);
                    granted++;
                } catch (SQLException e) {
                    if (NO_SUCH_OBJECT.contains(e.getSQLState())) {
                        log.warn("not granted: the target's version of the extension lacks the object ({}): {}",
                                PostgresErrors.oneLine(e), grant);
                    } else if (WRONG_OBJECT_TYPE.equals(e.getSQLState())) {
                        log.warn("not granted: the target's version of the extension has the object as another kind"
                                + " ({}): {}", PostgresErrors.oneLine(e), grant);
                    } else {
                        throw e;
                    }
                }
            }
        }
        log.info("granted {} privilege(s) that extensions' objects got from default privileges, which pg_dump does"
                + " not carry", granted);
    }
}
