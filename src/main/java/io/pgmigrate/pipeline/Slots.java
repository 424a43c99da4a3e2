package io.pgmigrate.pipeline;

import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The two slot pools of the reference's pipeline: source-side work (dump, source counts) and target-side work
 * (restore, target counts, verify, analyze). A database gives back its source slot as soon as its dump is counted,
 * so the next database's dump overlaps its restore.
 *
 * <p>A free slot goes to the waiting database that comes first in the run's order (its rank), not to the one that
 * asked first: the databases' threads reach each slot in whatever order their earlier steps finished, and in stream
 * mode the largest database, which sets the run's length, would otherwise wait behind smaller ones.
 */
public final class Slots {
    private final Pool source;
    private final Pool target;

    public Slots(int sourceSlots, int targetSlots) {
        this.source = new Pool(sourceSlots);
        this.target = new Pool(targetSlots);
    }

    /** A source slot for the database of this rank (0 first). */
    public Slot source(int rank) throws InterruptedException {
        return source.acquire(rank);
    }

    /** A target slot for the database of this rank (0 first). */
    public Slot target(int rank) throws InterruptedException {
        return target.acquire(rank);
    }

    /** A held slot; closing gives it back. */
    @FunctionalInterface
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Permits handed out by rank: the lowest waiting rank gets the next free ones (as many as it asks for; the ranks
     * after it wait until it has them).
     */
    static final class Pool {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private final PriorityQueue<Integer> waiting = new PriorityQueue<>();
        private int free;

        Pool(int permits) {
            this.free = permits;
        }

        Slot acquire(int rank) throws InterruptedException {
            return acquire(rank, 1);
        }

        Slot acquire(int rank, int permits) throws InterruptedException {
            lock.lock();
            try {
                waiting.add(rank);
                try {
                    while (free < permits || waiting.peek() != rank) {
                        changed.await();
                    }
                } catch (InterruptedException e) {
                    waiting.remove(rank);
                    changed.signalAll();
                    throw e;
                }
                waiting.poll();
                free -= permits;
                changed.signalAll(); // another permit may be free for the next rank
                return () -> release(permits);
            } finally {
                lock.unlock();
            }
        }

        private void release(int permits) {
            lock.lock();
            try {
                free += permits;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
