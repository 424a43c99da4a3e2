package io.pgmigrate.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmigrate.testbed.TestServers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmbeddedServerIT {
    private static final Path PG15_BIN = Path.of("/usr/lib/postgresql/15/bin");

    @ParameterizedTest
    @ValueSource(strings = {TestServers.SOURCE_96, TestServers.SOURCE_12, TestServers.PG15, TestServers.TARGET_17,
            TestServers.TARGET_18})
    void startsTheRequestedVersionAndRequiresThePassword(String version) throws Exception {
        EmbeddedServer server = TestServers.get(version);

        int num = server.serverVersionNum();
        String major = num < 100000 ? (num / 10000) + "." + (num / 100 % 100) : Integer.toString(num / 10000);
        assertThat(major).isEqualTo(server.majorVersion());
        assertThat(server.host()).isEqualTo("127.0.0.1");
        assertThat(server.socketDir().toString().length()).isLessThan(100);
        try (Connection connection = server.connect("postgres")) {
            assertThat(query(connection, "SELECT current_user")).isEqualTo("postgres");
            assertThat(query(connection, "SHOW listen_addresses")).isEqualTo("127.0.0.1");
            assertThat(query(connection, "SHOW fsync")).isEqualTo("on");
        }
        assertThatThrownBy(() -> server.connect("postgres", "postgres", "wrong-password").close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));

        // the unix socket asks for the password too (-w: never prompt)
        ToolRun socket = runTool(Map.of(), PG15_BIN.resolve("psql").toString(), "-w", "-X", "-h",
                server.socketDir().toString(), "-p", Integer.toString(server.port()), "-U", "postgres", "-d",
                "postgres", "-c", "SELECT 1");
        assertThat(socket.exitCode()).as(socket.output()).isNotZero();
        assertThat(socket.output()).contains("password");
    }

    @Test
    void aDumpOf96ByPgDump15RestoresInto18(@TempDir Path dumps) throws Exception {
        EmbeddedServer source = TestServers.get(TestServers.SOURCE_96);
        EmbeddedServer target = TestServers.get(TestServers.TARGET_18);
        String db = "embedded_it_dump";
        execute(source, "postgres", "DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db);
        execute(target, "postgres", "DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db);
        execute(source, db, "CREATE TABLE greeting (id serial PRIMARY KEY, text text NOT NULL)",
                "INSERT INTO greeting (text) VALUES ('hello'), ('héllo'), ('hallo')");

        Path dump = dumps.resolve("dump.pgdump");
        ToolRun dumped = runTool(Map.of("PGPASSWORD", source.password()), PG15_BIN.resolve("pg_dump").toString(),
                "-h", source.host(), "-p", Integer.toString(source.port()), "-U", source.superuser(), "-w",
                "-Fc", "-f", dump.toString(), db);
        assertThat(dumped.exitCode()).as(dumped.output()).isZero();
        ToolRun restored = runTool(Map.of("PGPASSWORD", target.password()),
                PG15_BIN.resolve("pg_restore").toString(), "-h", target.host(), "-p", Integer.toString(target.port()),
                "-U", target.superuser(), "-w", "--exit-on-error", "-d", db, dump.toString());
        assertThat(restored.exitCode()).as(restored.output()).isZero();

        try (Connection connection = target.connect(db)) {
            assertThat(query(connection, "SELECT string_agg(text, ',' ORDER BY id) FROM greeting"))
                    .isEqualTo("hello,héllo,hallo");
            assertThat(query(connection, "SELECT nextval('greeting_id_seq')")).isEqualTo("4");
        } finally {
            execute(source, "postgres", "DROP DATABASE " + db);
            execute(target, "postgres", "DROP DATABASE " + db);
        }
    }

    @Test
    void settingsAreConfigFileValuesThatAlterSystemOverridesAndRestartKeepsThePort() throws Exception {
        EmbeddedServer server = TestServers.fresh(TestServers.TARGET_17, Map.of("max_connections", "37"));
        Path runDir = server.dataDir().getParent();
        int port = server.port();
        try {
            try (Connection connection = server.connect("postgres")) {
                assertThat(query(connection, "SHOW max_connections")).isEqualTo("37");
                assertThat(query(connection, "SELECT source FROM pg_settings WHERE name = 'max_connections'"))
                        .isEqualTo("configuration file");
                execute(connection, "ALTER SYSTEM SET max_connections = 41");
            }
            server.restart();

            assertThat(server.port()).isEqualTo(port);
            try (Connection connection = server.connect("postgres")) {
                assertThat(query(connection, "SHOW max_connections")).isEqualTo("41");
            }
            assertThat(Files.readString(server.logFile())).doesNotContain(server.password());
        } finally {
            server.close();
        }
        server.close(); // idempotent

        assertThat(server.isRunning()).isFalse();
        assertThat(runDir).doesNotExist();
        assertThat(accepts(port)).as("port %d still accepts connections", port).isFalse();
    }

    // ---------------------------------------------------------------- helpers

    private record ToolRun(int exitCode, String output) {
    }

    /** Runs a client tool (argv, no shell) with extra environment, e.g. PGPASSWORD; output kept for messages. */
    private static ToolRun runTool(Map<String, String> env, String... argv) throws IOException, InterruptedException {
        Path output = Files.createTempFile("embedded-it", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(List.of(argv)))
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError(argv[0] + " did not finish in 2 minutes");
            }
            return new ToolRun(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static void execute(EmbeddedServer server, String db, String... statements) throws SQLException {
        try (Connection connection = server.connect(db)) {
            execute(connection, statements);
        }
    }

    private static void execute(Connection connection, String... statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static String query(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
