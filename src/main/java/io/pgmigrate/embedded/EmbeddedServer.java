package io.pgmigrate.embedded;

import io.pgmigrate.MigrationException;
import io.pgmigrate.config.Endpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throw-away PostgreSQL server on 127.0.0.1 and a free port, for the demo command and the integration tests.
 * {@link #start} runs initdb and pg_ctl (as the OS user {@code postgres} when we are root) in a fresh folder under
 * {@code <java.io.tmpdir>/pg-migrate-servers/run}; {@link #close} stops it and deletes that folder. A JVM shutdown hook
 * stops every server still running, so a failing test leaves nothing behind.
 *
 * <p>The bootstrap superuser is {@code postgres} unless the caller names another; password authentication
 * ({@code scram-sha-256}, or {@code md5} on 9.6) is
 * required for every connection, TCP and unix socket alike. The password goes to initdb through a pwfile that is
 * deleted right after, never through an argument or a log line.
 */
public final class EmbeddedServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedServer.class);

    public static final String HOST = "127.0.0.1";
    /** The bootstrap superuser's name unless the caller names another. */
    private static final String SUPERUSER = "postgres";
    private static final Duration INITDB_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration PG_CTL_TIMEOUT = Duration.ofSeconds(90);
    private static final String PG_CTL_WAIT_SECONDS = "60";
    private static final int START_ATTEMPTS = 4;
    private static final Map<String, String> SERVER_ENV = Map.of("LC_ALL", "C");
    private static final Set<EmbeddedServer> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedServer::stopAll, "embedded-postgres-shutdown"));
    }

    private final String version;
    private final String superuser;
    private final String password;
    private final Path binDir;
    private final Path runDir;
    /** The environment initdb, pg_ctl and the server get on top of ours: LC_ALL=C and what the caller added. */
    private final Map<String, String> env;
    private volatile int port;
    private volatile int serverVersionNum;
    private boolean running;

    private EmbeddedServer(String version, String superuser, String password, Path binDir, Path runDir,
                           Map<String, String> env) {
        this.env = env;
        this.version = version;
        this.superuser = superuser;
        this.password = password;
        this.binDir = binDir;
        this.runDir = runDir;
    }

    /**
     * Creates and starts a new server.
     *
     * @param version           "15" (Debian's package) or a zonky version such as "9.6.24", "12.22.0", "18.0.0"
     * @param superuserPassword the password of the bootstrap superuser {@code postgres}
     * @param settings          extra server settings (name to value) on top of the defaults, e.g. max_connections
     */
    public static EmbeddedServer start(String version, String superuserPassword, Map<String, String> settings) {
        return start(version, superuserPassword, settings, Map.of());
    }

    /**
     * Creates and starts a new server whose processes get {@code environment} too, e.g. {@code LOCPATH} for locales
     * generated outside the system's locale folder.
     */
    public static EmbeddedServer start(String version, String superuserPassword, Map<String, String> settings,
                                       Map<String, String> environment) {
        return start(version, SUPERUSER, superuserPassword, settings, environment);
    }

    /**
     * Creates and starts a new server whose bootstrap superuser (initdb's {@code -U}) is {@code superuser}, as a
     * server initdb'd by another OS user ({@code admin}, {@code pgsql}) has it.
     */
    public static EmbeddedServer start(String version, String superuser, String superuserPassword,
                                       Map<String, String> settings, Map<String, String> environment) {
        if (superuserPassword == null || superuserPassword.isEmpty() || superuserPassword.contains("\n")
                || superuserPassword.contains("\r")) {
            throw MigrationException.usage("the embedded server needs a non-empty, single-line superuser password");
        }
        long started = System.nanoTime();
        Path binDir = ServerBinaries.binDir(version);
        ServerSettings serverSettings = new ServerSettings(majorVersionOf(version), settings);
        RunFolders.reapAbandoned();
        Path runDir = RunFolders.create(version, binDir);
        Map<String, String> env = new HashMap<>(environment);
        env.putAll(SERVER_ENV);
        EmbeddedServer server = new EmbeddedServer(version, superuser, superuserPassword, binDir, runDir,
                Map.copyOf(env));
        try {
            ServerUser.checkCanUse(binDir, runDir);
            server.initdb();
            server.startOnFreePort(serverSettings);
            server.serverVersionNum = server.queryServerVersionNum();
        } catch (RuntimeException e) {
            server.stopQuietly();
            throw e;
        }
        log.info("PostgreSQL {} (server_version_num {}) running on {}:{} in {} ms; data in {}", version,
                server.serverVersionNum, HOST, server.port, (System.nanoTime() - started) / 1_000_000,
                server.dataDir());
        return server;
    }

    // ---------------------------------------------------------------- accessors

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    public String superuser() {
        return superuser;
    }

    public String password() {
        return password;
    }

    /** The version asked for: "15", "9.6.24", "18.0.0". */
    public String version() {
        return version;
    }

    /** The major version as PostgreSQL names it: "9.6", "12", "15", "18". */
    public String majorVersion() {
        return majorVersionOf(version);
    }

    /** {@code SHOW server_version_num} of the running server, e.g. 90624 or 180000. */
    public int serverVersionNum() {
        return serverVersionNum;
    }

    /** A pgjdbc URL for database db (any name: it is URL-encoded); credentials are not part of it. */
    public String jdbcUrl(String db) {
        return "jdbc:postgresql://" + HOST + ":" + port + "/" + URLEncoder.encode(db, StandardCharsets.UTF_8);
    }

    /** A new connection to db as the superuser. */
    public Connection connect(String db) throws SQLException {
        return connect(db, superuser, password);
    }

    /** A new connection to db as any role (to check a role's login, say). */
    public Connection connect(String db, String user, String userPassword) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (userPassword != null) {
            properties.setProperty("password", userPassword);
        }
        properties.setProperty("ApplicationName", "pg-migrate-embedded");
        properties.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(jdbcUrl(db), properties);
    }

    /** This server as the tool's {@link Endpoint} (superuser, database "postgres"), e.g. role "source". */
    public Endpoint endpoint(String role) {
        return new Endpoint(role, HOST, port, superuser, password, "postgres");
    }

    public Path dataDir() {
        return runDir.resolve("data");
    }

    public Path logFile() {
        return runDir.resolve("server.log");
    }

    /** The folder holding the server's unix socket ({@code .s.PGSQL.<port>}). */
    public Path socketDir() {
        return runDir;
    }

    /** The folder holding initdb, pg_ctl and postgres of this server. */
    public Path binDir() {
        return binDir;
    }

    public synchronized boolean isRunning() {
        return running;
    }

    // ---------------------------------------------------------------- lifecycle

    /** Restarts the server (fast shutdown, then start) on the same port, e.g. to apply a postmaster setting. */
    public synchronized void restart() {
        if (!running) {
            throw new IllegalStateException("server " + this + " is not running");
        }
        ChildProcess.Result result = pgCtl("restart", "-m", "fast", "-w", "-t", PG_CTL_WAIT_SECONDS, "-l",
                logFile().toString());
        if (!result.succeeded()) {
            throw startFailure("restart", result);
        }
        log.info("restarted {}", this);
    }

    /** Stops the server (fast shutdown) and deletes its folder. Idempotent. */
    public synchronized void stop() {
        if (!Files.exists(runDir)) {
            return;
        }
        shutDown();
        RunFolders.delete(runDir);
    }

    /** Stops the server, keeping its folder. */
    private synchronized void shutDown() {
        if (running) {
            ChildProcess.Result fast = pgCtl("stop", "-m", "fast", "-w", "-t", PG_CTL_WAIT_SECONDS);
            if (!fast.succeeded()) {
                log.warn("fast shutdown of {} failed ({}); trying immediate", this, fast.outputTail().strip());
                ChildProcess.Result immediate = pgCtl("stop", "-m", "immediate", "-w", "-t", PG_CTL_WAIT_SECONDS);
                if (!immediate.succeeded() && Files.exists(dataDir().resolve("postmaster.pid"))) {
                    throw MigrationException.environment("cannot stop " + this + ": "
                            + immediate.outputTail().strip() + "; its folder " + runDir + " is kept", null);
                }
            }
            running = false;
            RUNNING.remove(this);
            log.info("stopped {}", this);
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "PostgreSQL " + version + " on " + HOST + ":" + port;
    }

    // ---------------------------------------------------------------- internals

    private void initdb() {
        Path pwfile = runDir.resolve("pwfile");
        try {
            Files.writeString(Files.createFile(pwfile, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------"))), password + "\n", StandardCharsets.UTF_8);
            ServerUser.giveAway(pwfile);
            String auth = majorVersion().startsWith("9.") ? "md5" : "scram-sha-256";
            ChildProcess.runOrFail("initdb of PostgreSQL " + version, ServerUser.argv(List.of(
                    tool("initdb"), "-D", dataDir().toString(), "-U", superuser, "-E", "UTF8", "--locale=C",
                    "-A", auth, "--pwfile=" + pwfile, "-N")), runDir, env, INITDB_TIMEOUT, null);
        } catch (IOException e) {
            throw MigrationException.environment("cannot write the initdb password file in " + runDir, e);
        } finally {
            try {
                Files.deleteIfExists(pwfile);
            } catch (IOException e) {
                log.warn("could not delete {}", pwfile, e);
            }
        }
    }

    /** Starts on a free port; a port taken between our probe and the server's bind is retried with another. */
    private void startOnFreePort(ServerSettings settings) {
        Path conf = dataDir().resolve("postgresql.conf");
        String initdbConf = read(conf);
        for (int attempt = 1; ; attempt++) {
            port = freePort();
            write(conf, initdbConf + settings.render(port, socketDir()));
            ChildProcess.Result result = pgCtl("start", "-w", "-t", PG_CTL_WAIT_SECONDS, "-l", logFile().toString());
            if (result.succeeded()) {
                running = true;
                RUNNING.add(this);
                return;
            }
            String logTail = logTail();
            if (attempt >= START_ATTEMPTS || !(logTail.contains("could not bind") || logTail.contains("in use"))) {
                throw startFailure("start", result);
            }
            log.info("port {} was taken before PostgreSQL {} could bind it; trying another", port, version);
        }
    }

    private MigrationException startFailure(String what, ChildProcess.Result result) {
        return MigrationException.environment("PostgreSQL " + version + " did not " + what + " (pg_ctl exit "
                + result.exitCode() + ": " + result.outputTail().strip().replace('\n', ' ') + "); the server log ends with:\n"
                + logTail(), null);
    }

    private int queryServerVersionNum() {
        try (Connection connection = connect("postgres");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SHOW server_version_num")) {
            rows.next();
            return Integer.parseInt(rows.getString(1));
        } catch (SQLException e) {
            throw MigrationException.environment("PostgreSQL " + version + " started but refuses the superuser's"
                    + " login on " + HOST + ":" + port + ": " + e.getMessage(), e);
        }
    }

    private ChildProcess.Result pgCtl(String... arguments) {
        List<String> argv = new ArrayList<>(List.of(tool("pg_ctl")));
        argv.add(arguments[0]);
        argv.addAll(List.of("-D", dataDir().toString()));
        argv.addAll(List.of(arguments).subList(1, arguments.length));
        return ChildProcess.run(ServerUser.argv(argv), runDir, env, PG_CTL_TIMEOUT, null);
    }

    private String tool(String name) {
        return binDir.resolve(name).toString();
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException e) {
            log.warn("could not clean up after a failed start of {}: {}", this, e.getMessage());
        }
    }

    private String logTail() {
        if (!Files.exists(logFile())) {
            return "(no server log)";
        }
        List<String> lines = List.of(read(logFile()).split("\n"));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw MigrationException.environment("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw MigrationException.environment("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static int freePort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw MigrationException.environment("cannot find a free TCP port on " + HOST + ": " + e.getMessage(), e);
        }
    }

    /** "9.6.24" -> "9.6", "12.22.0" -> "12", "15" -> "15". */
    static String majorVersionOf(String version) {
        if (version == null || version.isBlank()) {
            throw MigrationException.usage("no server version given");
        }
        String[] parts = version.split("\\.");
        try {
            return Integer.parseInt(parts[0]) < 10 && parts.length > 1 ? parts[0] + "." + parts[1] : parts[0];
        } catch (NumberFormatException e) {
            throw MigrationException.usage("not a PostgreSQL version: " + version);
        }
    }

    /**
     * Every server first, then their folders: on a busy disk, deleting the folder of a server that holds a few hundred
     * MB took 5 to 15 s, and one after another they outlasted the 30 s surefire gives a test JVM to exit.
     */
    private static void stopAll() {
        List<EmbeddedServer> servers = List.copyOf(RUNNING);
        for (EmbeddedServer server : servers) {
            try {
                server.shutDown();
            } catch (RuntimeException e) {
                System.err.println("pg-migrate: could not stop " + server + " at exit: " + e.getMessage());
            }
        }
        for (EmbeddedServer server : servers) {
            if (!server.isRunning()) {
                RunFolders.delete(server.runDir);
            }
        }
    }
}
