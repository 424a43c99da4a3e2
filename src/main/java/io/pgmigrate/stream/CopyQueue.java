package io.pgmigrate.stream;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;

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
        List<CopyPart> ordered = new ArrayList<>(parts);
        ordered.sort(Comparator.comparingLong(CopyPart::bytes).reversed());
        WorkerPool.run(jobs, new ConcurrentLinkedQueue<>(ordered), () -> {
            TableCopier copier = factory.open();
            return new WorkerPool.Worker<CopyPart>() {
                @Override
                public void take(CopyPart part) throws SQLException {
                    long start = System.nanoTime();
                    TableCopier.Result result = copier.copy(part, choice.binary(part.table()), choice.freeze(part));
                    listener.copied(part, result, System.nanoTime() - start);
                }

                @Override
                public void abort() {
                    copier.abort();
                }

                @Override
                public void close() {
                    copier.close();
                }
            };
        }, cancelled, threadName);
    }
}
