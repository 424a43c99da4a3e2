package io.pgmigrate.postgres;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * pg_dumpall --globals-only from a real source server replayed through pgjdbc on a real target server whose
 * superuser has another password. Both PostgreSQL 15 servers are started (and removed) by this class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class GlobalsReplayIT {
    private static final Logger log = LoggerFactory.getLogger(GlobalsReplayIT.class);
    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final String SOURCE_PASSWORD = "src-secret-1";
    private static final String TARGET_PASSWORD = "dst-secret-2";
    private static final String MIXED = "Mixed \"Case\" Rôle";
    private static final List<String> MIGRATED_ROLES = List.of("app", "grp", "postgres2", MIXED);

    private static Path baseDir;
    private static LocalServer source;
    private static LocalServer target;
    private static String dumpOutput;
    private static String targetSuperuserHash;

    @BeforeAll
    static void startServersAndDumpTheSource() throws Exception {
        baseDir = LocalServer.createBaseDir();
        source = LocalServer.start(baseDir, "src", SOURCE_PASSWORD);
        target = LocalServer.start(baseDir, "dst", TARGET_PASSWORD);

        try (Connection c = source.connect("postgres", SOURCE_PASSWORD); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE app LOGIN PASSWORD 'app-pw'");
            s.execute("CREATE ROLE " + Identifiers.quote(MIXED) + " LOGIN PASSWORD 'mixed-pw' CONNECTION LIMIT 3");
            s.execute("CREATE ROLE grp NOLOGIN");
            s.execute("CREATE ROLE postgres2 LOGIN PASSWORD 'pg2-pw'");
            s.execute("GRANT grp TO app WITH ADMIN OPTION");
            s.execute("GRANT grp TO " + Identifiers.quote(MIXED));
            s.execute("ALTER ROLE app SET search_path = app_schema, public");
            s.execute("ALTER ROLE " + Identifiers.quote(MIXED) + " SET work_mem = '8MB'");
            s.execute("ALTER ROLE postgres SET statement_timeout = '1h'");
            s.execute("ALTER ROLE postgres2 SET statement_timeout = '2h'");
            s.execute("COMMENT ON ROLE app IS 'application; it''s $$ \"quoted\"'");
        }
        try (Connection c = target.connect("postgres", TARGET_PASSWORD); Statement s = c.createStatement()) {
            // already there, with other attributes: the ALTER after the refused CREATE must bring it to the source's
            s.execute("CREATE ROLE app NOLOGIN PASSWORD 'target-app-pw'");
            targetSuperuserHash = passwordHash(c, "postgres");
        }
        dumpOutput = source.dumpGlobals(SOURCE_PASSWORD);
    }

    @AfterAll
    static void stopServers() throws IOException {
        try {
            if (source != null) {
                source.stop();
            }
        } finally {
            try {
                if (target != null) {
                    target.stop();
                }
            } finally {
                if (baseDir != null) {
                    LocalServer.deleteTree(baseDir);
                }
            }
        }
    }

    @Test
    @Order(1)
    void thePgDumpallOutputHasTheExpectedShape() {
        SqlScript script = SqlScript.parse(dumpOutput);
        GlobalsScript globals = GlobalsScript.parse(dumpOutput);

        log.info("pg_dumpall meta-commands: {}", script.metaCommands().stream().map(m -> m.split(" ")[0]).toList());
        log.info("left out for target user postgres: {}", globals.skipped("postgres"));
        assertThat(script.metaCommands()).extracting(m -> m.split(" ")[0]).containsExactly("\\restrict", "\\unrestrict");
        assertThat(script.statements()).noneMatch(s -> s.contains("\\restrict"));
        assertThat(globals.skipped("postgres")).containsExactly("CREATE ROLE postgres",
                "ALTER ROLE postgres WITH SUPERUSER INHERIT CREATEROLE CREATEDB LOGIN REPLICATION BYPASSRLS"
                        + " PASSWORD '***'",
                "ALTER ROLE postgres SET statement_timeout TO '1h'");
        assertThat(script.statements()).contains("SET client_encoding = 'UTF8'");
        assertThat(globals.statements()).noneMatch(s -> s.startsWith("SET client_encoding"));
        assertThat(globals.statementsFor("postgres")).contains("CREATE ROLE postgres2",
                "CREATE ROLE " + Identifiers.quote(MIXED), "GRANT grp TO app WITH ADMIN OPTION GRANTED BY postgres");
    }

    @Test
    @Order(2)
    void replaysRolesMembershipsAndSettingsButNotTheTargetSuperuser() throws SQLException {
        List<String> statements = GlobalsScript.parse(dumpOutput).statementsFor("postgres");

        GlobalsReplayer.Result result;
        try (Connection c = target.connect("postgres", TARGET_PASSWORD)) {
            result = new GlobalsReplayer(c).replay(statements);
        }

        assertThat(result.failures()).isEmpty();
        assertThat(result.alreadyExisted()).isEqualTo(1); // CREATE ROLE app
        assertThat(result.executed()).isEqualTo(statements.size() - 1);
        try (Connection src = source.connect("postgres", SOURCE_PASSWORD);
             Connection dst = target.connect("postgres", TARGET_PASSWORD)) {
            for (String role : MIGRATED_ROLES) {
                assertThat(roleAttributes(dst, role)).as(role).isEqualTo(roleAttributes(src, role));
                assertThat(passwordHash(dst, role)).as(role).isEqualTo(passwordHash(src, role));
                assertThat(settings(dst, role)).as(role).isEqualTo(settings(src, role));
            }
            assertThat(settings(dst, "app")).containsExactly("search_path=app_schema, public");
            assertThat(settings(dst, MIXED)).containsExactly("work_mem=8MB");
            assertThat(memberships(dst)).isEqualTo(memberships(src))
                    .containsExactlyInAnyOrder("grp>app admin=true", "grp>" + MIXED + " admin=false");
            assertThat(roleComment(dst, "app")).isEqualTo("application; it's $$ \"quoted\"");

            assertThat(passwordHash(dst, "postgres")).isEqualTo(targetSuperuserHash);
            assertThat(settings(dst, "postgres")).isEmpty(); // the source's statement_timeout stayed on the source
        }
        assertTargetSuperuserLogsInWithItsOwnPasswordOnly();
        try (Connection app = target.connect("app", "app-pw");
             Connection mixed = target.connect(MIXED, "mixed-pw")) {
            assertThat(currentUser(app)).isEqualTo("app");
            assertThat(currentUser(mixed)).isEqualTo(MIXED);
        }
    }

    @Test
    @Order(3)
    void replayingTwiceIsHarmless() throws SQLException {
        List<String> statements = GlobalsScript.parse(dumpOutput).statementsFor("postgres");
        long creates = statements.stream().filter(s -> s.startsWith("CREATE ROLE ")).count();

        GlobalsReplayer.Result first;
        GlobalsReplayer.Result second;
        try (Connection c = target.connect("postgres", TARGET_PASSWORD)) {
            first = new GlobalsReplayer(c).replay(statements);
            second = new GlobalsReplayer(c).replay(statements);
        }

        assertThat(first.failures()).isEmpty();
        assertThat(second.failures()).isEmpty();
        assertThat(second.alreadyExisted()).isEqualTo(creates).isEqualTo(MIGRATED_ROLES.size());
        assertThat(second.executed()).isEqualTo(statements.size() - creates);
        assertTargetSuperuserLogsInWithItsOwnPasswordOnly();
    }

    @Test
    @Order(4)
    void aBadStatementIsReportedAndTheReplayGoesOn() throws SQLException {
        List<String> statements = new ArrayList<>(GlobalsScript.parse(dumpOutput).statementsFor("postgres"));
        statements.add(2, "ALTER ROLE no_such_role WITH LOGIN PASSWORD 'planted-secret'");
        statements.add(3, "CREATE ROLE broken WITH NO_SUCH_OPTION");
        statements.add("CREATE ROLE after_the_bad_ones");
        statements.add("ALTER ROLE after_the_bad_ones SET work_mem = '1 lightyear'"); // refused with a hint

        GlobalsReplayer.Result result;
        try (Connection c = target.connect("postgres", TARGET_PASSWORD)) {
            result = new GlobalsReplayer(c).replay(statements);
        }

        assertThat(result.failures()).extracting(GlobalsReplayer.Failure::sqlState)
                .containsExactly("42704", "42601", "22023");
        assertThat(result.failures().get(0).statement())
                .isEqualTo("ALTER ROLE no_such_role WITH LOGIN PASSWORD '***'");
        assertThat(result.failures().get(0).message()).isEqualTo("role \"no_such_role\" does not exist");
        assertThat(result.failures().get(1).message()).isEqualTo("unrecognized role option \"no_such_option\"");
        assertThat(result.failures().get(2).message()).as("the server's hint, on the same line")
                .startsWith("invalid value for parameter \"work_mem\": \"1 lightyear\"; Valid units for this "
                        + "parameter are").doesNotContain("\n");
        assertThat(result.failures().toString()).doesNotContain("planted-secret");
        try (Connection dst = target.connect("postgres", TARGET_PASSWORD)) {
            assertThat(roleAttributes(dst, "after_the_bad_ones")).isNotEmpty();
        }
        assertTargetSuperuserLogsInWithItsOwnPasswordOnly();
    }

    private static void assertTargetSuperuserLogsInWithItsOwnPasswordOnly() throws SQLException {
        try (Connection c = target.connect("postgres", TARGET_PASSWORD)) {
            assertThat(currentUser(c)).isEqualTo("postgres");
        }
        assertThatThrownBy(() -> target.connect("postgres", SOURCE_PASSWORD).close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
    }

    private static String currentUser(Connection c) throws SQLException {
        return single(c, "SELECT current_user", List.of());
    }

    private static String passwordHash(Connection c, String role) throws SQLException {
        return single(c, "SELECT rolpassword FROM pg_authid WHERE rolname = ?", List.of(role));
    }

    private static String roleAttributes(Connection c, String role) throws SQLException {
        return single(c, "SELECT concat_ws(',', rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin,"
                + " rolreplication, rolbypassrls, rolconnlimit, rolvaliduntil) FROM pg_roles WHERE rolname = ?",
                List.of(role));
    }

    private static String roleComment(Connection c, String role) throws SQLException {
        return single(c, "SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = ?", List.of(role));
    }

    private static List<String> settings(Connection c, String role) throws SQLException {
        return column(c, "SELECT unnest(s.setconfig) FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole"
                + " WHERE r.rolname = ? AND s.setdatabase = 0 ORDER BY 1", List.of(role));
    }

    private static List<String> memberships(Connection c) throws SQLException {
        return column(c, "SELECT g.rolname || '>' || m.rolname || ' admin=' || a.admin_option"
                + " FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid JOIN pg_roles m ON m.oid = a.member"
                + " WHERE g.rolname NOT LIKE 'pg\\_%' ORDER BY 1", List.of());
    }

    private static String single(Connection c, String sql, List<String> args) throws SQLException {
        List<String> values = column(c, sql, args);
        return values.isEmpty() ? "" : values.get(0);
    }

    private static List<String> column(Connection c, String sql, List<String> args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setString(i + 1, args.get(i));
            }
            List<String> values = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
            return values;
        }
    }

    /**
     * A throw-away PostgreSQL 15 server for this test only: initdb with SCRAM and a password file, 127.0.0.1 on a
     * free port, socket in its own short folder; as root, run as the OS user postgres.
     */
    private static final class LocalServer {
        private static final boolean ROOT = "0".equals(idU());

        private final Path dir;
        private final Path data;
        private final int port;

        private LocalServer(Path dir, int port) {
            this.dir = dir;
            this.data = dir.resolve("data");
            this.port = port;
        }

        /** A 0755 folder under /tmp, which the postgres OS user can traverse. */
        static Path createBaseDir() throws IOException {
            for (String tool : List.of("initdb", "pg_ctl", "postgres", "pg_dumpall")) {
                if (!Files.isExecutable(BIN.resolve(tool))) {
                    throw new IllegalStateException(BIN.resolve(tool) + " is missing: install postgresql-15 and"
                            + " postgresql-client-15 (apt-get install postgresql-15)");
                }
            }
            Path base = Files.createTempDirectory(Path.of("/tmp"), "pgm-globals-it-");
            Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
            for (Path p : List.of(base, BIN)) {
                for (Path up = p; up != null; up = up.getParent()) {
                    if (!Files.getPosixFilePermissions(up).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                        throw new IllegalStateException(up + " cannot be traversed by other users: the postgres"
                                + " OS user needs to reach " + p);
                    }
                }
            }
            return base;
        }

        static LocalServer start(Path base, String name, String superuserPassword) throws IOException,
                InterruptedException {
            Path dir = Files.createDirectory(base.resolve(name));
            LocalServer server = new LocalServer(dir, freePort());
            Path pwfile = dir.resolve("pwfile");
            Files.writeString(pwfile, superuserPassword + "\n", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(pwfile, PosixFilePermissions.fromString("rw-------"));
            if (ROOT) {
                UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName("postgres");
                Files.setOwner(dir, postgres);
                Files.setOwner(pwfile, postgres);
            }
            try {
                server.runAsServerUser("initdb", "-D", server.data.toString(), "-U", "postgres",
                        "-A", "scram-sha-256", "--pwfile=" + pwfile, "-E", "UTF8", "--locale=C", "-N");
            } finally {
                Files.deleteIfExists(pwfile);
            }
            server.runAsServerUser("pg_ctl", "-D", server.data.toString(), "-l", dir.resolve("server.log").toString(),
                    "-w", "-t", "60", "-o", "-p " + server.port + " -k " + dir
                            + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=20"
                            + " -c shared_buffers=16MB", "start");
            log.info("started PostgreSQL 15 '{}' on 127.0.0.1:{} in {}", name, server.port, dir);
            return server;
        }

        Connection connect(String user, String password) throws SQLException {
            Properties props = new Properties();
            props.setProperty("user", user);
            props.setProperty("password", password);
            props.setProperty("connectTimeout", "10");
            return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", props);
        }

        /** pg_dumpall --globals-only, the password in PGPASSWORD (never on the command line), output as UTF-8. */
        String dumpGlobals(String password) throws IOException, InterruptedException {
            Path out = dir.resolve("globals.sql");
            Map<String, String> env = Map.of("PGPASSWORD", password, "PGCLIENTENCODING", "UTF8",
                    "PGCONNECT_TIMEOUT", "10");
            run(List.of(BIN.resolve("pg_dumpall").toString(), "--globals-only", "--no-password",
                    "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres", "-f", out.toString()), env);
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        void stop() throws IOException {
            try {
                if (Files.exists(data.resolve("postmaster.pid"))) {
                    runAsServerUser("pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "-t", "60", "stop");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while stopping the server in " + dir, e);
            }
        }

        private void runAsServerUser(String tool, String... args) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>();
            if (ROOT) {
                command.addAll(List.of("runuser", "-u", "postgres", "--"));
            }
            command.add(BIN.resolve(tool).toString());
            command.addAll(Arrays.asList(args));
            run(command, Map.of());
        }

        private void run(List<String> command, Map<String, String> extraEnv) throws IOException, InterruptedException {
            Path output = Files.createTempFile(dir.getParent(), "cmd-", ".log");
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.getParent().toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("PG"));
            pb.environment().putAll(extraEnv);
            Process process = pb.start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            String text = Files.readString(output);
            Files.delete(output);
            if (process.exitValue() != 0) {
                Path serverLog = dir.resolve("server.log");
                throw new IllegalStateException("failed (exit " + process.exitValue() + "): "
                        + String.join(" ", command) + "\n" + text
                        + (Files.exists(serverLog) ? "\nserver log:\n" + Files.readString(serverLog) : ""));
            }
        }

        static void deleteTree(Path root) throws IOException {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            }
        }

        private static String idU() {
            try {
                Process p = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                p.waitFor();
                return out;
            } catch (IOException e) {
                throw new IllegalStateException("cannot run `id -u` to find out whether we run as root", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
