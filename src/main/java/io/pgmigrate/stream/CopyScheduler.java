package io.pgmigrate.stream;

import io.pgmigrate.process.CancelledException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The copy workers of the whole run (stream mode's {@code --table-jobs}), shared by every database: each database
 * hands in its copies with {@link #run} and waits for them; the workers take the copies of all databases from one
 * {@link CopyBacklog}, largest first. A worker opens a database's connections ({@link Opener}) for the first copy
 * it takes of that database's submission and keeps them while it takes more of it; it closes them when it takes
 * another database's copy or the submission has none left, so no connection stays open for a database that is
 * done.
 *
 * <p>A copy that fails fails its submission only: its copies not started are dropped, the ones in flight are
 * aborted (their connections end at once), and {@link #run} throws the failure as it was; the other databases' copies
 * go on. An interrupt of the waiting thread, or the run's cancellation, does the same (and ends {@code run} with
 * the interrupt or a {@link CancelledException}). Log lines of a worker carry the MDC of the thread that handed the
 * copy in (the database).
 */
public final class CopyScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CopyScheduler.class);
    private static final long CANCEL_POLL_MILLIS = 500;

    /** One worker's connections for one database. */
    public interface Worker extends AutoCloseable {
        /** From another thread: ends the connections at once, so a copy blocked on a socket stops. */
        void abort();

        @Override
        void close();
    }

    /** Opens a worker's connections. */
    @FunctionalInterface
    public interface Opener<W extends Worker> {
        W open() throws SQLException;
    }

    /** One copy, run on a worker's connections. */
    @FunctionalInterface
    public interface Task<W extends Worker> {
        void run(W worker) throws SQLException;
    }

    /**
     * A copy and the size it is ordered by: larger ones are taken first, equal ones in the order handed in (a split
     * table's ranges carry the table's size, so they are taken one after the other).
     */
    public record Item<W extends Worker>(long bytes, Task<W> task) {
    }

    /** One database's copies handed in together; every field guarded by the scheduler. */
    private static final class Submission<W extends Worker> {
        final Opener<W> opener;
        final Map<String, String> mdc;
        final Set<Worker> open = new HashSet<>();
        int queued;
        int running;
        Throwable failure;

        Submission(Opener<W> opener, Map<String, String> mdc) {
            this.opener = opener;
            this.mdc = mdc;
        }

        boolean settled() {
            return queued == 0 && running == 0 && open.isEmpty();
        }
    }

    /** A worker's connections and the submission they belong to. */
    private record Held(Submission<?> submission, Worker worker) {
    }

    private final CopyBacklog<Submission<?>, Item<?>> backlog = new CopyBacklog<>();
    private final Set<Submission<?>> live = new HashSet<>();
    private final List<Thread> threads = new ArrayList<>();
    private final BooleanSupplier cancelled;
    private boolean closed;

    /** Starts {@code workers} worker threads; they wait for copies until {@link #close}. */
    public CopyScheduler(int workers, BooleanSupplier cancelled) {
        this.cancelled = cancelled;
        for (int i = 1; i <= Math.max(1, workers); i++) {
            Thread t = new Thread(this::work, "copy-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    public int workers() {
        return threads.size();
    }

    /** Copies every item on connections from {@code opener}, largest first among all databases' copies. */
    public <W extends Worker> void run(List<Item<W>> items, Opener<W> opener)
            throws SQLException, InterruptedException {
        if (items.isEmpty()) {
            return;
        }
        Submission<W> s = new Submission<>(opener, MDC.getCopyOfContextMap());
        synchronized (this) {
            if (closed) {
                throw new CancelledException("cancelled");
            }
            live.add(s);
            items.forEach(item -> backlog.add(s, item, item.bytes()));
            s.queued = items.size();
            notifyAll();
        }
        try {
            while (true) {
                List<Worker> inFlight;
                synchronized (this) {
                    if (s.settled()) {
                        break;
                    }
                    inFlight = cancelled.getAsBoolean() ? fail(s, new CancelledException("cancelled")) : List.of();
                    if (inFlight.isEmpty()) {
                        wait(CANCEL_POLL_MILLIS);
                    }
                }
                abort(inFlight);
            }
        } catch (InterruptedException e) {
            List<Worker> inFlight;
            synchronized (this) {
                inFlight = fail(s, new CancelledException("interrupted"));
            }
            abort(inFlight);
            throw e;
        } finally {
            synchronized (this) {
                live.remove(s);
            }
        }
        rethrow(s.failure);
    }

    /** Ends the workers, aborting whatever they still copy (the end of the run). */
    @Override
    public void close() {
        List<Worker> inFlight = new ArrayList<>();
        synchronized (this) {
            closed = true;
            for (Submission<?> s : List.copyOf(live)) {
                inFlight.addAll(fail(s, new CancelledException("cancelled")));
            }
            notifyAll();
        }
        abort(inFlight);
        threads.forEach(Thread::interrupt);
    }

    /** Marks {@code s} failed (the first failure wins) and drops its queued copies; returns the workers to abort. */
    private List<Worker> fail(Submission<?> s, Throwable failure) {
        if (s.failure != null) {
            return List.of();
        }
        s.failure = failure;
        s.queued -= backlog.drop(s);
        notifyAll();
        return List.copyOf(s.open);
    }

    private static void abort(List<Worker> workers) {
        workers.forEach(Worker::abort);
    }

    private void work() {
        Held held = null;
        try {
            while (true) {
                CopyBacklog.Taken<Submission<?>, Item<?>> taken;
                synchronized (this) {
                    while ((taken = closed || cancelled.getAsBoolean() ? null
                            : backlog.next(held == null ? null : held.submission())) == null && held == null) {
                        if (closed) {
                            return;
                        }
                        wait(CANCEL_POLL_MILLIS);
                    }
                    if (taken != null) {
                        taken.owner().queued--;
                        taken.owner().running++;
                    }
                }
                if (held != null && (taken == null || taken.owner() != held.submission())) {
                    release(held);
                    held = null;
                }
                if (taken != null) {
                    held = copy(taken.owner(), taken.item(), held);
                }
            }
        } catch (InterruptedException e) {
            // closed: the run is over
        } finally {
            if (held != null) {
                release(held);
            }
        }
    }

    /** Runs one copy; returns the connections to keep (null: none, they are closed). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private Held copy(Submission s, Item item, Held held) {
        Throwable failure = null;
        if (s.mdc != null) {
            MDC.setContextMap(s.mdc);
        }
        try {
            if (held == null) {
                Worker w = s.opener.open();
                held = new Held(s, w);
                synchronized (this) {
                    s.open.add(w);
                }
            }
            boolean go;
            synchronized (this) {
                go = s.failure == null;
            }
            if (go) {
                item.task().run(held.worker());
            }
        } catch (Throwable e) {
            failure = e;
        } finally {
            MDC.clear();
        }
        boolean keep;
        List<Worker> inFlight = List.of();
        synchronized (this) {
            s.running--;
            if (failure != null) {
                if (s.failure == null) {
                    inFlight = fail(s, failure);
                } else {
                    log.debug("after the failure of its database: {}", failure.getMessage());
                }
            }
            keep = held != null && s.failure == null && s.queued > 0;
            notifyAll();
        }
        abort(inFlight);
        if (!keep && held != null) {
            release(held);
            return null;
        }
        return held;
    }

    /** Closes a worker's connections; its database no longer waits for them, whatever the close threw. */
    private void release(Held held) {
        try {
            held.worker().close();
        } catch (RuntimeException e) {
            log.debug("closing a copy worker's connections: {}", e.toString());
        } finally {
            synchronized (this) {
                held.submission().open.remove(held.worker());
                notifyAll();
            }
        }
    }

    /** Throws a failure (if any) as it is, or wrapped when it is neither an SQL nor a runtime exception. */
    static void rethrow(Throwable failure) throws SQLException {
        if (failure instanceof SQLException sql) {
            throw sql;
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }
}
