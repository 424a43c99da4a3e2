package io.pgmigrate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SlotsTest {
    private final List<Integer> granted = new CopyOnWriteArrayList<>();

    /** Starts a thread that takes a target slot for {@code rank}, notes it, holds it briefly; returns once it waits. */
    private Thread waiter(Slots slots, int rank) throws InterruptedException {
        Thread t = new Thread(() -> {
            try (Slots.Slot slot = slots.target(rank)) {
                granted.add(rank);
            } catch (InterruptedException e) {
                granted.add(-rank);
            }
        }, "rank-" + rank);
        t.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != Thread.State.WAITING) {
            assertThat(System.nanoTime()).as("thread of rank " + rank + " waits for the slot").isLessThan(deadline);
            Thread.sleep(1);
        }
        return t;
    }

    @Test
    void aFreedSlotGoesToTheLowestWaitingRankNotToTheFirstToAsk() throws Exception {
        Slots slots = new Slots(1, 1);
        Slots.Slot held = slots.target(9);
        List<Thread> threads = List.of(waiter(slots, 5), waiter(slots, 2), waiter(slots, 7), waiter(slots, 3));
        held.close();
        for (Thread t : threads) {
            t.join(10_000);
        }
        assertThat(granted).containsExactly(2, 3, 5, 7);
    }

    @Test
    void anInterruptedWaiterLeavesTheQueueAndTheNextRankStillGetsTheSlot() throws Exception {
        Slots slots = new Slots(1, 1);
        Slots.Slot held = slots.target(0);
        Thread first = waiter(slots, 1);
        Thread second = waiter(slots, 2);
        first.interrupt();
        first.join(10_000);
        held.close();
        second.join(10_000);
        assertThat(granted).containsExactly(-1, 2);
    }

    @Test
    void everyFreePermitIsHandedOutAndTheTwoPoolsAreApart() throws Exception {
        Slots slots = new Slots(1, 2);
        Slots.Slot source = slots.source(0);
        Slots.Slot a = slots.target(4);
        Slots.Slot b = slots.target(3);
        Thread third = waiter(slots, 1); // both target permits taken: it waits, whatever its rank
        source.close();
        assertThat(third.getState()).isEqualTo(Thread.State.WAITING);
        a.close();
        third.join(10_000);
        assertThat(granted).containsExactly(1);
        b.close();
    }
}
