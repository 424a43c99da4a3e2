package io.pgmigrate.it;

import static io.pgmigrate.it.DelayedTablesIT.exec;
import static io.pgmigrate.it.FullMigrationIT.one;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgmigrate.embedded.EmbeddedServer;
import io.pgmigrate.testbed.Migration;
import io.pgmigrate.testbed.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Before 16, a role with CREATEROLE could grant any role without holding ADMIN on it; pg_dumpall before 16 writes
 * that grantor (GRANTED BY), and a 16+ target refuses it. From 12 to 17 the membership arrives, granted by the
 * tool's own login.
 */
class RoleGrantorIT {
    @TempDir
    Path work;

    private final EmbeddedServer source = TestServers.get(TestServers.SOURCE_12);
    private final EmbeddedServer target = TestServers.get(TestServers.TARGET_17);

    @Test
    void aMembershipGrantedByACreateroleRoleBefore16Arrives() throws Exception {
        String db = "grantor_db";
        exec(source, "postgres", "CREATE DATABASE " + db,
                "CREATE ROLE \"gb mgr\" CREATEROLE", "CREATE ROLE \"gb grp\"", "CREATE ROLE \"gb app\"",
                "SET ROLE \"gb mgr\"", "GRANT \"gb grp\" TO \"gb app\"", "RESET ROLE");
        try {
            Migration migration = new Migration(source, target, work).with("--include-db", db);
            migration.run();
            assertThat(Files.readString(migration.migrateState().resolve("summary.json")))
                    .doesNotContain("global object not migrated");
            assertThat(one(target, "postgres", "SELECT pg_has_role('gb app', 'gb grp', 'MEMBER')::text"))
                    .isEqualTo("true");
        } finally {
            for (EmbeddedServer server : new EmbeddedServer[] {source, target}) {
                exec(server, "postgres", "DROP ROLE IF EXISTS \"gb app\"", "DROP ROLE IF EXISTS \"gb grp\"",
                        "DROP ROLE IF EXISTS \"gb mgr\"");
            }
            exec(source, "postgres", "DROP DATABASE " + db);
        }
    }
}
