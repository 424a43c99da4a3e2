package io.pgmigrate.process;

import io.pgmigrate.MigrationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every child process of one run. {@link #start} registers a child (and refuses once the run is being cancelled),
 * {@link #terminateAll} stops every child with its whole tree of descendants. The live children are also listed in a
 * pid file, so that {@link #killOrphans} can stop, on the next run, what a crashed JVM left behind: a SIGKILLed JVM
 * runs no shutdown hook, and pg_restore goes on writing into the target.
 */
public final class ChildProcesses {

    /** Only processes running one of these are ever killed from the pid file. */
    static final Set<String> TOOL_COMMANDS = Set.of("pg_dump", "pg_restore", "pg_dumpall", "psql");

    private static final Logger log = LoggerFactory.getLogger(ChildProcesses.class);
    private static final Duration ORPHAN_GRACE = Duration.ofSeconds(10);

    private final Path pidFile;
    private final Object lock = new Object();
    private final Map<Process, ChildPidFile.Entry> live = new LinkedHashMap<>();
    private boolean terminating;

    /** @param pidFile where to list the live children (in the state folder), or null to keep no such list */
    public ChildProcesses(Path pidFile) {
        this.pidFile = pidFile;
    }

    /**
     * Starts a child and registers it. Throws {@link CancelledException} once {@link #terminateAll} has begun, so no
     * child can slip past a cancellation.
     */
    public Process start(ProcessBuilder builder, String tool) throws IOException {
        synchronized (lock) {
            if (terminating) {
                throw new CancelledException("not starting " + tool + ": the run is being cancelled");
            }
            Process process = builder.start();
            String startedAt = process.info().startInstant().map(Instant::toString).orElse(null);
            live.put(process, new ChildPidFile.Entry(process.pid(), startedAt, tool));
            persist();
            return process;
        }
    }

    /** Forgets a child that has ended. */
    public void unregister(Process process) {
        synchronized (lock) {
            if (live.remove(process) != null) {
                persist();
            }
        }
    }

    /** Stops one child and its descendants (SIGTERM, {@code grace}, SIGKILL). */
    public void terminate(Process process, Duration grace) {
        ProcessTree.snapshot(process.toHandle()).terminate(grace);
    }

    /**
     * Refuses new children from now on, then stops every child with its descendants: the whole tree is captured first,
     * all of it gets SIGTERM, and what is still running after {@code grace} gets SIGKILL. Returns when none is left.
     */
    public void terminateAll(Duration grace) {
        List<ProcessHandle> roots = new ArrayList<>();
        synchronized (lock) {
            terminating = true;
            live.keySet().forEach(p -> roots.add(p.toHandle()));
        }
        if (roots.isEmpty()) {
            return;
        }
        ProcessTree tree = ProcessTree.snapshot(roots);
        log.info("stopping {} child process(es) and their workers (pids {})", roots.size(), tree.pids());
        tree.terminate(grace);
        synchronized (lock) {
            live.keySet().removeIf(p -> !ProcessTree.isRunning(p.toHandle()));
            persist();
        }
    }

    public boolean isTerminating() {
        synchronized (lock) {
            return terminating;
        }
    }

    /** How many registered children there are now. */
    public int size() {
        synchronized (lock) {
            return live.size();
        }
    }

    /**
     * Stops what an earlier run listed in {@code file} and left running: every listed process still alive with the same
     * start instant and running pg_dump, pg_restore, pg_dumpall or psql, with its descendants. Then deletes the file.
     * Does nothing if the file does not exist. Call it before starting children with a registry on the same file.
     * Returns how many listed processes were still running.
     */
    public static int killOrphans(Path file) {
        return killOrphans(file, ORPHAN_GRACE);
    }

    static int killOrphans(Path file, Duration grace) {
        if (file == null) {
            return 0;
        }
        List<ChildPidFile.Entry> entries;
        try {
            entries = ChildPidFile.read(file);
        } catch (IOException e) {
            log.warn("ignoring unreadable {}: {}", file, e.getMessage());
            entries = List.of();
        }
        List<ProcessHandle> orphans = new ArrayList<>();
        for (ChildPidFile.Entry entry : entries) {
            Optional<ProcessHandle> orphan = stillRunning(entry);
            if (orphan.isPresent()) {
                log.warn("stopping {} (pid {}) left running by an earlier run that ended abruptly",
                        entry.tool(), entry.pid());
                orphans.add(orphan.get());
            }
        }
        ProcessTree.snapshot(orphans).terminate(grace);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw MigrationException.state("cannot delete " + file + ": " + e.getMessage(), e);
        }
        return orphans.size();
    }

    private static Optional<ProcessHandle> stillRunning(ChildPidFile.Entry entry) {
        Instant startedAt;
        try {
            startedAt = entry.startedAt() == null ? null : Instant.parse(entry.startedAt());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
        if (startedAt == null) {
            return Optional.empty(); // cannot tell it from a newer process with the same pid
        }
        return ProcessHandle.of(entry.pid())
                .filter(ProcessTree::isRunning)
                .filter(h -> h.info().startInstant().map(startedAt::equals).orElse(false))
                .filter(h -> h.info().command().map(ChildProcesses::isToolCommand).orElse(false));
    }

    private static boolean isToolCommand(String command) {
        Path name = Path.of(command).getFileName();
        return name != null && TOOL_COMMANDS.contains(name.toString());
    }

    private void persist() {
        if (pidFile == null) {
            return;
        }
        try {
            ChildPidFile.write(pidFile, List.copyOf(live.values()));
        } catch (IOException e) {
            log.warn("cannot record child pids in {}: {}", pidFile, e.getMessage());
        }
    }
}
