package io.pgmigrate.embedded;

import io.pgmigrate.MigrationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One folder per embedded server under {@code <base>/run}: data directory, unix socket and server log. Each records
 * the JVM that owns it, so a later JVM can stop and remove the servers of a JVM that died without its shutdown
 * hook (killed by a test runner's timeout, say): nothing is left running for long.
 */
final class RunFolders {
    private static final Logger log = LoggerFactory.getLogger(RunFolders.class);
    private static final String OWNER_FILE = "owner";
    /** The socket path is sun_path (108 bytes): folder + "/.s.PGSQL.NNNNN" must fit. */
    private static final int MAX_SOCKET_DIR = 90;

    private RunFolders() {
    }

    /** A new, empty run folder owned by the server user, recording this JVM and the binaries in use. */
    static Path create(String version, Path binDir) {
        Path runRoot = WorkArea.runRoot();
        try {
            Path dir = Files.createTempDirectory(runRoot, version + "-");
            if (dir.toString().length() > MAX_SOCKET_DIR) {
                FileTree.delete(dir);
                throw MigrationException.environment("the server's socket folder " + dir + " is too long for a unix"
                        + " socket: start Java with a short -Djava.io.tmpdir, e.g. /tmp", null);
            }
            ProcessHandle self = ProcessHandle.current();
            Files.writeString(dir.resolve(OWNER_FILE), self.pid() + "\n" + startOf(self).orElse("?") + "\n"
                    + binDir + "\n", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            ServerUser.giveAway(dir);
            return dir;
        } catch (IOException e) {
            throw MigrationException.environment("cannot create a server folder in " + runRoot + ": "
                    + e.getMessage(), e);
        }
    }

    static void delete(Path dir) {
        try {
            FileTree.delete(dir);
        } catch (IOException e) {
            log.warn("could not remove {}: {}", dir, e.toString());
        }
    }

    /** Stops and removes the servers of JVMs that are gone; folders of live JVMs (any user's) stay untouched. */
    static void reapAbandoned() {
        List<Path> dirs;
        try (Stream<Path> list = Files.list(WorkArea.runRoot())) {
            dirs = list.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            log.debug("cannot list run folders", e);
            return;
        }
        for (Path dir : dirs) {
            try {
                List<String> owner = Files.readAllLines(dir.resolve(OWNER_FILE), StandardCharsets.UTF_8);
                if (owner.size() >= 3 && !isAlive(Long.parseLong(owner.get(0)), owner.get(1))) {
                    reap(dir, Path.of(owner.get(2)));
                }
            } catch (IOException | RuntimeException e) {
                log.debug("leaving {} alone: {}", dir, e.toString()); // being created, or already reaped
            }
        }
    }

    private static void reap(Path dir, Path binDir) {
        Path data = dir.resolve("data");
        if (Files.exists(data.resolve("postmaster.pid")) && Files.isExecutable(binDir.resolve("pg_ctl"))) {
            log.info("stopping a server left running by a JVM that is gone: {}", dir);
            ChildProcess.run(ServerUser.argv(List.of(binDir.resolve("pg_ctl").toString(), "stop", "-D",
                    data.toString(), "-m", "immediate", "-w", "-t", "30")), dir, Map.of("LC_ALL", "C"),
                    Duration.ofSeconds(60), null);
        }
        delete(dir);
    }

    private static boolean isAlive(long pid, String recordedStart) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty()) {
            return false;
        }
        Optional<String> start = startOf(process.get());
        return start.isEmpty() || "?".equals(recordedStart) || start.get().equals(recordedStart);
    }

    private static Optional<String> startOf(ProcessHandle process) {
        return process.info().startInstant().map(Object::toString);
    }
}
