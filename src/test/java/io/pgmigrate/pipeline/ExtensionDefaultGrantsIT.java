package io.pgmigrate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmigrate.embedded.EmbeddedServer;
import io.pgmigrate.testbed.TestServers;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The replay of the privileges default privileges gave an extension's objects, on real servers (15 -> 17): a grant
 * not made says truly why. SQLSTATE 42704 (undefined_object) is raised for a missing role as for a missing object,
 * so a grant to a role the target lacks was reported as the target's extension lacking the object.
 */
class ExtensionDefaultGrantsIT {
    @Test
    void aGrantNotMadeNamesTheMissingRoleOrTheMissingObject() throws Exception {
        EmbeddedServer source = TestServers.get(TestServers.PG15);
        EmbeddedServer target = TestServers.get(TestServers.TARGET_17);
        String db = "edg_missing";
        exec(source, "postgres", "CREATE ROLE \"edg Reader\"", "CREATE DATABASE " + db);
        exec(source, db, "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO \"edg Reader\"",
                "CREATE EXTENSION pg_buffercache");
        // the target database as the pre-data section leaves it, without the role
        exec(target, "postgres", "CREATE DATABASE " + db);
        exec(target, db, "CREATE EXTENSION pg_buffercache");
        String grant = "GRANT SELECT ON TABLE public.pg_buffercache TO \"edg Reader\"";

        assertThat(ExtensionDefaultGrants.grant(source.endpoint("source"), target.endpoint("target"), db))
                .containsExactly("not granted: the role \"edg Reader\" does not exist on the target: " + grant);

        exec(target, "postgres", "CREATE ROLE \"edg Reader\"");
        exec(target, db, "ALTER EXTENSION pg_buffercache DROP VIEW public.pg_buffercache",
                "DROP VIEW public.pg_buffercache");
        assertThat(ExtensionDefaultGrants.grant(source.endpoint("source"), target.endpoint("target"), db))
                .containsExactly("not granted: the target's version of the extension lacks the object (relation "
                        + "\"public.pg_buffercache\" does not exist): " + grant);
        for (EmbeddedServer server : List.of(source, target)) {
            exec(server, "postgres", "DROP DATABASE " + db, "DROP ROLE \"edg Reader\"");
        }
    }

    private static void exec(EmbeddedServer server, String db, String... statements) throws SQLException {
        try (Connection c = server.connect(db); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }
}
