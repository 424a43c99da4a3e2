package io.pgmigrate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmigrate.embedded.EmbeddedServer;
import io.pgmigrate.postgres.DatabaseInfo;
import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.state.StateStore;
import io.pgmigrate.testbed.TestServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Re-creating a target database for a fresh restore, on a real server. */
class DatabaseCreatorIT {
    @TempDir
    Path work;

    /** A restore that got past its post-data section left subscriptions, which DROP DATABASE refuses. */
    @Test
    void aDatabaseWithSubscriptionsIsRecreatedEmpty() throws Exception {
        EmbeddedServer target = TestServers.get(TestServers.TARGET_17);
        StateStore state = new StateStore(work.resolve("pg_migrate_state"), work.resolve("pg_verify_state"));
        DatabaseCreator creator = new DatabaseCreator(target.endpoint("source"), target.endpoint("target"), state,
                false, false);
        DatabaseInfo db = new DatabaseInfo("dbc \"Sub\" recreate", 0, target.superuser(), "UTF8", "C", "C", true);
        creator.create(db);
        try (Connection c = target.connect(db.name()); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE half_restored (x int)");
            // as pg_dump writes it: never connected, but with a slot name
            st.execute("CREATE SUBSCRIPTION \"Sub 1\" CONNECTION 'host=127.0.0.1 port=1 dbname=nowhere' "
                    + "PUBLICATION p WITH (connect = false, slot_name = 'sub_1')");
        }

        creator.recreate(db);

        try (Connection c = target.connect(db.name()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM pg_class WHERE relname = 'half_restored'), "
                     + "(SELECT count(*) FROM pg_subscription WHERE subname = 'Sub 1')")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
            assertThat(rs.getInt(2)).isZero();
        }
        try (Connection c = target.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE " + Identifiers.quote(db.name()));
        }
    }

    /**
     * A target initialized with another locale provider (here template0 is made builtin, as initdb
     * --locale-provider=builtin leaves it): a database the source keeps with libc is created with libc, its sort order
     * the source's, not with template0's provider.
     */
    @Test
    void aLibcDatabaseStaysLibcOnATargetWhoseTemplateIsNot() throws Exception {
        try (EmbeddedServer target = TestServers.fresh(TestServers.TARGET_17)) {
            try (Connection c = target.connect("postgres"); Statement st = c.createStatement()) {
                st.execute("UPDATE pg_database SET datlocprovider = 'b', datlocale = 'C.UTF-8' "
                        + "WHERE datname = 'template0'");
            }
            StateStore state = new StateStore(work.resolve("pg_migrate_state"), work.resolve("pg_verify_state"));
            DatabaseCreator creator = new DatabaseCreator(target.endpoint("source"), target.endpoint("target"),
                    state, false, false);
            DatabaseInfo db = new DatabaseInfo("dbc \"libc\" Ü", 0, target.superuser(), "UTF8", "C", "C", true);
            creator.create(db);
            try (Connection c = target.connect("postgres"); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT datlocprovider::text, datcollate FROM pg_database "
                         + "WHERE datname = 'dbc \"libc\" Ü'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("c");
                assertThat(rs.getString(2)).isEqualTo("C");
            }
        }
    }
}
