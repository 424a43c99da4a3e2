package io.pgmigrate.testbed;

import static org.junit.jupiter.api.Assertions.fail;

import io.pgmigrate.embedded.EmbeddedServer;
import java.util.HashMap;
import java.util.Map;

/**
 * The servers of the integration tests. {@link #get} shares one server per version across the whole test JVM
 * (started on first use, stopped at JVM exit by EmbeddedServer's shutdown hook): tests sharing a server create their
 * own, uniquely named databases and roles. {@link #fresh} gives a test a private server it must close.
 * A server that cannot start fails the test with the reason: never a skip.
 */
public final class TestServers {
    /** Sources: pg_dump 15 (the client tools here) reads servers up to 15. */
    public static final String SOURCE_96 = "9.6.24";
    public static final String SOURCE_12 = "12.22.0";
    public static final String SOURCE_14 = "14.18.0";
    /** Debian's packaged server (also the version of the client tools). */
    public static final String PG15 = "15";
    /** Targets: any version. */
    public static final String TARGET_16 = "16.9.0";
    public static final String TARGET_17 = "17.5.0";
    public static final String TARGET_18 = "18.0.0";

    private static final Map<String, EmbeddedServer> SHARED = new HashMap<>();
    private static final Map<String, RuntimeException> FAILED = new HashMap<>();

    private TestServers() {
    }

    /** The shared server of this version, started on first use. */
    public static synchronized EmbeddedServer get(String version) {
        if (FAILED.containsKey(version)) {
            return fail("PostgreSQL " + version + " failed to start earlier in this JVM: "
                    + FAILED.get(version).getMessage(), FAILED.get(version));
        }
        EmbeddedServer server = SHARED.get(version);
        if (server == null || !server.isRunning()) {
            try {
                server = EmbeddedServer.start(version, password(version), Map.of());
            } catch (RuntimeException e) {
                FAILED.put(version, e);
                return fail("cannot start PostgreSQL " + version + ": " + e.getMessage(), e);
            }
            SHARED.put(version, server);
        }
        return server;
    }

    /** A private server for one test, which closes it (try-with-resources). */
    public static EmbeddedServer fresh(String version) {
        return fresh(version, Map.of());
    }

    /** A private server with extra settings (e.g. max_connections), which the test closes. */
    public static EmbeddedServer fresh(String version, Map<String, String> settings) {
        try {
            return EmbeddedServer.start(version, password(version), settings);
        } catch (RuntimeException e) {
            return fail("cannot start PostgreSQL " + version + ": " + e.getMessage(), e);
        }
    }

    /** A private server whose processes get {@code environment} too (e.g. LOCPATH), which the test closes. */
    public static EmbeddedServer fresh(String version, Map<String, String> settings, Map<String, String> environment) {
        try {
            return EmbeddedServer.start(version, password(version), settings, environment);
        } catch (RuntimeException e) {
            return fail("cannot start PostgreSQL " + version + ": " + e.getMessage(), e);
        }
    }

    /**
     * A private server whose bootstrap superuser is {@code superuser} (initdb -U), not {@code postgres}, as on a
     * machine where another OS user initdb'd it; the test closes it.
     */
    public static EmbeddedServer freshWithSuperuser(String version, String superuser) {
        try {
            return EmbeddedServer.start(version, superuser, password(version), Map.of(), Map.of());
        } catch (RuntimeException e) {
            return fail("cannot start PostgreSQL " + version + ": " + e.getMessage(), e);
        }
    }

    /** The superuser password of every server of this version: "pw-" + version. */
    public static String password(String version) {
        return "pw-" + version;
    }
}
