package io.pgmigrate.stream;

import io.pgmigrate.process.CancelledException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.MDC;

/**
 * One database's tables (or parts of tables) copied by {@code jobs} workers from one queue, largest first. Each worker keeps its own
 * {@link TableCopier} (a source and a target connection) for every table it takes, so a database of many small
 * tables does not pay a connection per table. The first failure stops every worker at once (their connections are
 * aborted) and is thrown; so is an interrupt of the calling thread (Ctrl-C).
 */
public final class CopyQueue {

    /** Opens a worker's copier. */
    @FunctionalInterface
    public interface CopierFactory {
        TableCopier open() throws SQLException;
    }

    /** Told about each part once its copy has committed. */
    @FunctionalInterface
    public interface Listener {
        void copied(CopyPart part, TableCopier.Result result, long nanos);
    }

    /** How each part is copied: binary or text; truncated and frozen (whole tables only), or into the table. */
    public interface CopyChoice {
        boolean binary(CopyTable table);

        boolean freeze(CopyPart part);
    }

    private final int jobs;
    private final CopierFactory factory;
    private final CopyChoice choice;
    private final BooleanSupplier cancelled;
    private final String threadName;

    public CopyQueue(int jobs, CopierFactory factory, CopyChoice choice, BooleanSupplier cancelled,
                     String threadName) {
        this.jobs = Math.max(1, jobs);
        this.factory = factory;
        this.choice = choice;
        this.cancelled = cancelled;
        this.threadName = threadName;
    }

    /** Copies every part, largest first; returns once all are copied. */
    public void run(List<CopyPart> parts, Listener listener) throws SQLException, InterruptedException {
        if (parts.isEmpty()) {
            return;
        }
        List<CopyPart> ordered = new ArrayList<>(parts);
        ordered.sort(Comparator.comparingLong(CopyPart::bytes).reversed());
        Queue<CopyPart> queue = new ConcurrentLinkedQueue<>(ordered);
        Set<TableCopier> open = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        int workers = Math.min(jobs, ordered.size());
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
                try (TableCopier copier = factory.open()) {
                    open.add(copier);
                    try {
                        CopyPart part;
                        while (!stop.get() && !cancelled.getAsBoolean() && (part = queue.poll()) != null) {
                            long start = System.nanoTime();
                            TableCopier.Result result = copier.copy(part, choice.binary(part.table()),
                                    choice.freeze(part));
                            listener.copied(part, result, System.nanoTime() - start);
                        }
                    } finally {
                        open.remove(copier);
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
                        open.forEach(TableCopier::abort);
                    }
                }
            }
        } catch (InterruptedException e) {
            stop.set(true);
            open.forEach(TableCopier::abort);
            throw e;
        } finally {
            pool.shutdownNow();
        }
        if (failure instanceof SQLException sql) {
            throw sql;
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
        if (!queue.isEmpty()) {
            throw new CancelledException("cancelled");
        }
    }
}
