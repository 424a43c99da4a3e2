package io.pgmigrate.pipeline;

import java.util.concurrent.Semaphore;

/**
 * The two semaphores of the reference's pipeline: source-side work (dump, source counts) and target-side work
 * (restore, target counts, verify, analyze). A database gives back its source slot as soon as its dump is counted,
 * so the next database's dump overlaps its restore.
 */
public final class Slots {
    private final Semaphore source;
    private final Semaphore target;

    public Slots(int sourceSlots, int targetSlots) {
        this.source = new Semaphore(sourceSlots, true);
        this.target = new Semaphore(targetSlots, true);
    }

    public Slot source() throws InterruptedException {
        source.acquire();
        return source::release;
    }

    public Slot target() throws InterruptedException {
        target.acquire();
        return target::release;
    }

    /** A held slot; closing gives it back. */
    @FunctionalInterface
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }
}
