package io.pgmigrate.pipeline;

import io.pgmigrate.ExitCode;
import io.pgmigrate.process.CancelledException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Ctrl-C and SIGTERM. The first signal stops new work, runs the cancel actions (terminate every child process tree,
 * interrupt the workers) and lets the run unwind: target settings reverted, summary printed, exit 130 or 143.
 * A second signal stops at once (the next start reverts the target settings).
 */
public final class Cancellation {
    private static final Logger log = LoggerFactory.getLogger(Cancellation.class);

    private volatile ExitCode reason;
    private final List<Runnable> actions = new CopyOnWriteArrayList<>();
    private final List<Runnable> immediateActions = new CopyOnWriteArrayList<>();

    public void installSignalHandlers() {
        Signal.handle(new Signal("INT"), s -> signalled(ExitCode.INTERRUPTED));
        Signal.handle(new Signal("TERM"), s -> signalled(ExitCode.TERMINATED));
    }

    /** Runs when the run is cancelled (first signal). */
    public void onCancel(Runnable action) {
        actions.add(action);
    }

    /** Runs on the second signal, just before the process halts. */
    public void onSecondSignal(Runnable action) {
        immediateActions.add(action);
    }

    private void signalled(ExitCode why) {
        if (reason != null) {
            System.err.println("pg-migrate: second signal: stopping now; the next run reverts the target settings "
                    + "(or pg-migrate revert-settings, if the migration is given up)");
            immediateActions.forEach(Cancellation::runQuietly);
            Runtime.getRuntime().halt(why.code());
        }
        cancel(why);
    }

    public synchronized void cancel(ExitCode why) {
        if (reason != null) {
            return;
        }
        reason = why;
        log.warn("{}: stopping: terminating child processes, reverting the target settings (again to stop at once)",
                why == ExitCode.INTERRUPTED ? "interrupted" : "terminated");
        // run the actions on their own thread: a signal handler should not block
        Thread t = new Thread(() -> actions.forEach(Cancellation::runQuietly), "cancel");
        t.setDaemon(true);
        t.start();
    }

    public boolean cancelled() {
        return reason != null;
    }

    public ExitCode reason() {
        return reason;
    }

    /** Throws if the run was cancelled: call before starting any new piece of work. */
    public void check() {
        if (reason != null) {
            throw new CancelledException("cancelled");
        }
    }

    private static void runQuietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.debug("cancel action failed", e);
        }
    }
}
