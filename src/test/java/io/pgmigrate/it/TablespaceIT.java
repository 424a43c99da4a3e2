package io.pgmigrate.it;

import static io.pgmigrate.it.DelayedTablesIT.exec;
import static io.pgmigrate.it.FullMigrationIT.counts;
import static io.pgmigrate.it.FullMigrationIT.one;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgmigrate.embedded.EmbeddedServer;
import io.pgmigrate.testbed.Migration;
import io.pgmigrate.testbed.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tablespaces: moved to another folder on the target, checked before any change (with --migrate-globals=false
 * too), or left out; in both modes (the tables' tablespaces come with the schema's pg_restore in each, and stream
 * mode leaves an index in a tablespace to it).
 */
class TablespaceIT {
    @TempDir
    Path work;

    @ParameterizedTest(name = "{0} mode")
    @ValueSource(strings = {"dump", "stream"})
    void tablespacesAreMovedCheckedOrLeftOut(String mode) throws Exception {
        Path base = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir"), "pg-migrate-servers"), "ts-");
        base.toFile().setReadable(true, false);
        base.toFile().setExecutable(true, false);
        Path original = serverOwnedFolder(base.resolve("original"));
        Path moved = serverOwnedFolder(base.resolve("moved"));
        try (EmbeddedServer source = TestServers.fresh(TestServers.SOURCE_12);
             EmbeddedServer target = TestServers.fresh(TestServers.TARGET_17);
             EmbeddedServer plain = TestServers.fresh(TestServers.TARGET_17)) {
            exec(source, "postgres", "CREATE TABLESPACE \"Ts A\" LOCATION '" + original + "'",
                    "CREATE DATABASE ts_db", "CREATE DATABASE ts_home TABLESPACE \"Ts A\"");
            exec(source, "ts_db", "CREATE TABLE t (id int PRIMARY KEY) TABLESPACE \"Ts A\"",
                    "INSERT INTO t SELECT generate_series(1, 100)", "CREATE TABLE u (id int)",
                    "CREATE INDEX u_id ON u (id) TABLESPACE \"Ts A\"");
            exec(source, "ts_home", "CREATE TABLE h (id int)", "INSERT INTO h VALUES (1)");

            // a folder that does not exist on the target's machine: one line, before any change
            Migration missing = new Migration(source, target, work.resolve("missing")).with("--include-db", "ts_*",
                    "--tablespace-location", "Ts A=" + base.resolve("nowhere"), "--mode", mode);
            assertThat(missing.run()).isEqualTo(3);
            assertThat(one(target, "postgres", "SELECT count(*)::text FROM pg_database WHERE datname LIKE 'ts_%'"))
                    .isEqualTo("0");
            assertThat(one(target, "postgres", "SELECT count(*)::text FROM pg_tablespace WHERE spcname = 'Ts A'"))
                    .isEqualTo("0");

            // --migrate-globals=false creates no tablespace: one the databases use must be on the target already,
            // and a location for one could not take effect; both checked before any change
            Migration noGlobals = new Migration(source, target, work.resolve("noglobals")).with("--include-db", "ts_*",
                    "--migrate-globals=false", "--mode", mode);
            assertThat(noGlobals.run()).isEqualTo(3);
            Migration noGlobalsMoved = new Migration(source, target, work.resolve("noglobals-moved")).with(
                    "--include-db", "ts_*", "--migrate-globals=false", "--tablespace-location", "Ts A=" + moved,
                    "--mode", mode);
            assertThat(noGlobalsMoved.run()).isEqualTo(2);
            assertThat(one(target, "postgres", "SELECT count(*)::text FROM pg_database WHERE datname LIKE 'ts_%'"))
                    .isEqualTo("0");
            assertThat(one(target, "postgres", "SELECT count(*)::text FROM pg_file_settings "
                    + "WHERE sourcefile LIKE '%postgresql.auto.conf'")).isEqualTo("0");

            Migration relocated = new Migration(source, target, work.resolve("moved")).with("--include-db", "ts_*",
                    "--tablespace-location", "Ts A=" + moved, "--mode", mode);
            assertThat(relocated.run()).isEqualTo(0);
            assertThat(one(target, "postgres", "SELECT pg_tablespace_location(oid) FROM pg_tablespace "
                    + "WHERE spcname = 'Ts A'")).isEqualTo(moved.toString());
            assertThat(one(target, "ts_db", "SELECT tablespace FROM pg_tables WHERE tablename = 't'")).isEqualTo("Ts A");
            assertThat(one(target, "ts_db", "SELECT tablespace FROM pg_indexes WHERE indexname = 'u_id'"))
                    .isEqualTo("Ts A");
            assertThat(one(target, "postgres", "SELECT t.spcname FROM pg_database d JOIN pg_tablespace t "
                    + "ON t.oid = d.dattablespace WHERE d.datname = 'ts_home'")).isEqualTo("Ts A");
            for (String db : List.of("ts_db", "ts_home")) {
                assertThat(counts(target, db)).isEqualTo(counts(source, db));
            }

            // a session's temporary table in a temp_tablespaces tablespace is not migrated: with
            // --migrate-globals=false the target need not have that tablespace
            exec(source, "postgres", "CREATE DATABASE tmp_ts");
            exec(source, "tmp_ts", "CREATE TABLE k (id int)", "INSERT INTO k VALUES (1)");
            try (Connection session = source.connect("tmp_ts"); Statement st = session.createStatement()) {
                st.execute("SET temp_tablespaces = 'Ts A'");
                st.execute("CREATE TEMP TABLE scratch (id int)");
                Migration tempOnly = new Migration(source, plain, work.resolve("temp-only")).with("--include-db",
                        "tmp_ts", "--migrate-globals=false", "--mode", mode);
                assertThat(tempOnly.run()).isEqualTo(0);
            }
            assertThat(counts(plain, "tmp_ts")).isEqualTo(counts(source, "tmp_ts"));

            Migration without = new Migration(source, plain, work.resolve("without")).with("--include-db", "ts_*",
                    "--no-tablespaces", "--mode", mode);
            assertThat(without.run()).isEqualTo(0);
            assertThat(one(plain, "postgres", "SELECT count(*)::text FROM pg_tablespace WHERE spcname = 'Ts A'"))
                    .isEqualTo("0");
            assertThat(one(plain, "ts_db", "SELECT coalesce(tablespace, 'default') FROM pg_tables "
                    + "WHERE tablename = 't'")).isEqualTo("default");
            assertThat(one(plain, "ts_db", "SELECT coalesce(tablespace, 'default') FROM pg_indexes "
                    + "WHERE indexname = 'u_id'")).isEqualTo("default");
            assertThat(counts(plain, "ts_db")).isEqualTo(counts(source, "ts_db"));
        } finally {
            new ProcessBuilder("rm", "-rf", base.toString()).inheritIO().start().waitFor();
        }
    }

    /** A folder the server's OS user owns (postgres when the tests run as root). */
    private static Path serverOwnedFolder(Path dir) throws Exception {
        Files.createDirectories(dir);
        if ("root".equals(System.getProperty("user.name"))) {
            assertThat(new ProcessBuilder("chown", "postgres:postgres", dir.toString()).inheritIO().start().waitFor())
                    .isEqualTo(0);
        }
        return dir;
    }
}
