package io.pgmigrate.process;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Processes and all their descendants, captured at one moment, so that they can be stopped together: pg_dump -j and
 * pg_restore -j fork workers, which outlive a parent killed alone. The JVM does not do this for us.
 *
 * <p>Stopping is SIGTERM to every member, a grace period, then SIGKILL to whatever is left (including any process
 * forked meanwhile). A killed process whose parent has not reaped it yet (a zombie) counts as gone.
 */
final class ProcessTree {

    private static final Logger log = LoggerFactory.getLogger(ProcessTree.class);
    private static final Duration AFTER_KILL = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 20;
    private static final boolean HAS_PROC = Files.isReadable(Path.of("/proc/self/stat"));

    private final Map<Long, ProcessHandle> members;

    private ProcessTree(Map<Long, ProcessHandle> members) {
        this.members = members;
    }

    /** The roots and every descendant they have right now. */
    static ProcessTree snapshot(Collection<ProcessHandle> roots) {
        Map<Long, ProcessHandle> members = new LinkedHashMap<>();
        for (ProcessHandle root : roots) {
            members.put(root.pid(), root);
            root.descendants().forEach(d -> members.put(d.pid(), d));
        }
        return new ProcessTree(members);
    }

    static ProcessTree snapshot(ProcessHandle root) {
        return snapshot(List.of(root));
    }

    List<Long> pids() {
        return List.copyOf(members.keySet());
    }

    boolean isEmpty() {
        return members.isEmpty();
    }

    /**
     * SIGTERM to all, wait up to {@code grace}, SIGKILL the rest and wait for them to go. Returns when none is
     * running (or, should a process not die even from SIGKILL, after a further 10 s with a warning). Finishes its
     * work even if the thread is interrupted meanwhile, and then leaves the interrupt flag set.
     */
    void terminate(Duration grace) {
        if (members.isEmpty()) {
            return;
        }
        boolean interrupted = false;
        try {
            members.values().stream().filter(ProcessTree::isRunning).forEach(ProcessHandle::destroy);
            interrupted = awaitGone(grace);
            List<ProcessHandle> left = running();
            if (!left.isEmpty()) {
                // processes forked since the snapshot belong to the tree too
                ProcessTree.snapshot(left).members.forEach(members::putIfAbsent);
                left = running();
                log.debug("SIGKILL to {} process(es) still running after {} s: {}", left.size(),
                        grace.toSeconds(), pidsOf(left));
                left.forEach(ProcessHandle::destroyForcibly);
                interrupted |= awaitGone(AFTER_KILL);
                left = running();
                if (!left.isEmpty()) {
                    log.warn("processes {} are still running after SIGKILL", pidsOf(left));
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits until no member is running or the time is up; returns whether the thread was interrupted. */
    private boolean awaitGone(Duration timeout) {
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!running().isEmpty() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        return interrupted;
    }

    private List<ProcessHandle> running() {
        List<ProcessHandle> list = new ArrayList<>();
        for (ProcessHandle h : members.values()) {
            if (isRunning(h)) {
                list.add(h);
            }
        }
        return list;
    }

    /** Alive and not a zombie (a process that has exited but whose parent has not collected it yet). */
    static boolean isRunning(ProcessHandle handle) {
        return handle.isAlive() && !isZombie(handle.pid());
    }

    static boolean isRunning(long pid) {
        return ProcessHandle.of(pid).map(ProcessTree::isRunning).orElse(false);
    }

    private static boolean isZombie(long pid) {
        if (!HAS_PROC) {
            return false; // not Linux: trust isAlive()
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
            int afterName = stat.lastIndexOf(')');
            return afterName >= 0 && afterName + 2 < stat.length() && stat.charAt(afterName + 2) == 'Z';
        } catch (NoSuchFileException e) {
            return true; // gone between isAlive() and here
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    private static String pidsOf(List<ProcessHandle> handles) {
        return handles.stream().map(h -> Long.toString(h.pid())).collect(Collectors.joining(", "));
    }
}
