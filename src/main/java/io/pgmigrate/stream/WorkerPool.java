package io.pgmigrate.stream;

import io.pgmigrate.process.CancelledException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.MDC;

/**
 * Up to {@code jobs} workers taking items from one queue, each with connections of its own, opened once for all the
 * items it takes. The first failure stops every worker at once (their connections are aborted) and is thrown; so is
 * an interrupt of the calling thread (Ctrl-C). Items left when the run is cancelled end it with
 * {@link CancelledException}.
 */
final class WorkerPool {
    /** One worker's connections. */
    interface Worker<T> extends AutoCloseable {
        void take(T item) throws SQLException;

        /** From another thread: ends the connections at once, so work blocked on a socket stops. */
        void abort();

        @Override
        void close();
    }

    /** Opens one worker's connections. */
    @FunctionalInterface
    interface Opener<T> {
        Worker<T> open() throws SQLException;
    }

    private WorkerPool() {
    }

    static <T> void run(int jobs, Queue<T> queue, Opener<T> opener, BooleanSupplier cancelled, String threadName)
            throws SQLException, InterruptedException {
        if (queue.isEmpty()) {
            return;
        }
        Set<Worker<T>> open = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        int workers = Math.max(1, Math.min(jobs, queue.size()));
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, threadName + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        var mdc = MDC.getCopyOfContextMap();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            futures.add(pool.submit(() -> {
                if (mdc != null) {
                    MDC.setContextMap(mdc);
                }
                try (Worker<T> worker = opener.open()) {
                    open.add(worker);
                    try {
                        T item;
                        while (!stop.get() && !cancelled.getAsBoolean() && (item = queue.poll()) != null) {
                            worker.take(item);
                        }
                    } finally {
                        open.remove(worker);
                    }
                }
                return null;
            }));
        }
        Throwable failure = null;
        try {
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause();
                        stop.set(true);
                        open.forEach(Worker::abort);
                    }
                }
            }
        } catch (InterruptedException e) {
            stop.set(true);
            open.forEach(Worker::abort);
            throw e;
        } finally {
            pool.shutdownNow();
        }
        rethrow(failure);
        if (!queue.isEmpty()) {
            throw new CancelledException("cancelled");
        }
    }

    /** Throws a worker's failure (if any) as it is, or wrapped when it is neither an SQL nor a runtime exception. */
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
