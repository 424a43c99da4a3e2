package io.pgmigrate.process;

import io.pgmigrate.postgres.KeepAliveSocketFactory;
import io.pgmigrate.testbed.TcpKeepalive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The connection strings reach databases with awkward names on a real PostgreSQL 15 server. */
class ConnInfoIT {

    private static final String AWKWARD = "a'b \"c\" =d é";
    private static final String BACKSLASH = "back\\slash 'x' ";

    private static final ProcessRunner RUNNER = new ProcessRunner(new ChildProcesses(null));
    private static Pg15Server server;

    @BeforeAll
    static void startServer() throws Exception {
        server = Pg15Server.start();
        ConnInfo postgres = server.connInfo("postgres");
        for (String name : List.of(AWKWARD, BACKSLASH)) {
            psql(postgres, "CREATE DATABASE " + quoteIdent(name));
        }
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void psqlReachesADatabaseWithQuotesSpacesEqualsAndAccents() {
        assertThat(psql(server.connInfo(AWKWARD), "select current_database(), current_setting('application_name')"))
                .isEqualTo(AWKWARD + "|pg-migrate");
    }

    @Test
    void psqlReachesADatabaseWithBackslashesAndTrailingSpace() {
        assertThat(psql(server.connInfo(BACKSLASH), "select current_database()")).isEqualTo(BACKSLASH);
    }

    @Test
    void pgDumpTakesTheSameConnectionString() {
        ProcessRunner.Result dump = RUNNER.run(ProcessSpec.of("pg_dump", List.of(Pg15Server.BIN.resolve("pg_dump")
                        .toString(), "--schema-only", server.connInfo(AWKWARD).dbnameArg()))
                .capturingStdout()).requireSuccess();
        assertThat(dump.stdout()).contains("PostgreSQL database dump complete");
    }

    /**
     * The client tools keep the JDBC sessions' keepalive (libpq's keywords in the connection string): while psql waits
     * on a long statement, the kernel's first probe of its idle connection is due within a minute, not two hours.
     */
    @Test
    void aClientToolsIdleConnectionIsProbedWithinAMinute() throws Exception {
        String sleep = "SELECT pg_sleep(5) -- keepalive test";
        Process waiting = new ProcessBuilder(Pg15Server.BIN.resolve("psql").toString(), "-X", "-q",
                server.connInfo("postgres").dbnameArg(), "-c", sleep).redirectErrorStream(true).start();
        try {
            String port = "";
            for (int i = 0; i < 100 && port.isEmpty(); i++) {
                Thread.sleep(50);
                port = psql(server.connInfo("postgres"), "SELECT client_port FROM pg_stat_activity WHERE query = "
                        + "'" + sleep.replace("'", "''") + "'");
            }
            assertThat(port).as("psql's session in pg_stat_activity").isNotEmpty();
            assertThat(TcpKeepalive.secondsToProbe(Integer.parseInt(port), server.port))
                    .isGreaterThan(KeepAliveSocketFactory.IDLE_SECONDS - 20)
                    .isLessThanOrEqualTo(KeepAliveSocketFactory.IDLE_SECONDS);
        } finally {
            waiting.destroy();
            waiting.waitFor();
        }
    }

    private static String psql(ConnInfo conn, String sql) {
        ProcessRunner.Result result = RUNNER.run(ProcessSpec.of("psql", List.of(Pg15Server.BIN.resolve("psql").toString(),
                "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", conn.dbnameArg(), "-c", sql)).capturingStdout());
        String out = result.requireSuccess().stdout();
        return out.endsWith("\n") ? out.substring(0, out.length() - 1) : out;
    }

    private static String quoteIdent(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /**
     * A throwaway Debian PostgreSQL 15 cluster under /tmp, run as the OS user postgres when we are root (initdb and
     * postgres refuse root). Private to this test: the suite's shared harness lives elsewhere.
     */
    private static final class Pg15Server implements AutoCloseable {
        static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

        private final Path base;
        private final int port;
        private boolean running;

        private Pg15Server(Path base, int port) {
            this.base = base;
            this.port = port;
        }

        static Pg15Server start() throws IOException {
            if (!Files.isExecutable(BIN.resolve("postgres"))) {
                throw new IllegalStateException("PostgreSQL 15 server not installed in " + BIN
                        + ": apt-get install postgresql-15");
            }
            // a short path every user can traverse: the unix socket lives here too
            Path base = Files.createTempDirectory(Path.of("/tmp"), "pgm-ci-");
            Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
            if (isRoot()) {
                UserPrincipal postgres = base.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName("postgres");
                Files.setOwner(base, postgres);
            }
            Pg15Server server = new Pg15Server(base, freePort());
            try {
                server.asServerUser("initdb", List.of(BIN.resolve("initdb").toString(), "-D", server.data(),
                        "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"));
                server.running = true;
                server.asServerUser("pg_ctl", List.of(BIN.resolve("pg_ctl").toString(), "-D", server.data(),
                        "-l", base.resolve("server.log").toString(), "-w", "-t", "60", "-o",
                        "-p " + server.port + " -k " + base + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"));
                return server;
            } catch (RuntimeException e) {
                server.close();
                throw new IllegalStateException("PostgreSQL 15 did not start: " + e.getMessage() + "; see "
                        + base.resolve("server.log"), e);
            }
        }

        ConnInfo connInfo(String dbname) {
            return ConnInfo.of("127.0.0.1", port, "postgres", dbname).with("connect_timeout", "10");
        }

        @Override
        public void close() {
            try {
                if (running && Files.exists(base.resolve("data/postmaster.pid"))) {
                    asServerUser("pg_ctl", List.of(BIN.resolve("pg_ctl").toString(), "-D", data(), "-m", "immediate",
                            "-w", "stop"));
                }
            } finally {
                deleteTree(base);
            }
        }

        private String data() {
            return base.resolve("data").toString();
        }

        private void asServerUser(String tool, List<String> argv) {
            List<String> full = new ArrayList<>();
            if (isRoot()) {
                full.addAll(List.of("runuser", "-u", "postgres", "--"));
            }
            full.addAll(argv);
            ProcessRunner.Result result = RUNNER.run(ProcessSpec.of(tool, full).withWorkingDir(base));
            if (!result.succeeded()) {
                throw new IllegalStateException(tool + " failed (exit " + result.exitCode() + "): "
                        + String.join(" | ", result.stderrTail()));
            }
        }

        private static boolean isRoot() {
            try {
                return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
            } catch (IOException e) {
                return "root".equals(System.getProperty("user.name"));
            }
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            }
        }

        private static void deleteTree(Path root) {
            try (Stream<Path> paths = Files.walk(root)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new IllegalStateException("cannot delete " + root + ": " + e.getMessage(), e);
            }
        }
    }

}
