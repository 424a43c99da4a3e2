package io.pgmigrate.stream;

import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The copies waiting for a worker, of every owner (a database's submission) at once: the next one is the largest
 * of all (the first submitted among equals), so the big tables of every database start first and the small ones
 * fill in at the end. Two exceptions:
 * <ul>
 * <li>an owner with less than {@link #SWITCH_MIN_BYTES} left in all is served first (the smallest first): its
 * database holds a restore slot while it waits, and a big database may be waiting for that slot (measured: a
 * database of one 100-row table waited 6.4 s behind another's big ranges, and the next big database with it);</li>
 * <li>a worker that holds connections of one owner takes that owner's next copy when the largest of all is below
 * {@link #SWITCH_MIN_BYTES} (a small copy is not worth opening two connections for) or no larger than that owner's
 * own next.</li>
 * </ul>
 * Not thread-safe: the scheduler guards it.
 *
 * @param <O> the owner
 * @param <T> a copy
 */
final class CopyBacklog<O, T> {
    /** Below this size, a copy is taken out of order rather than switching a worker to another database. */
    static final long SWITCH_MIN_BYTES = 8L << 20;

    private record Entry<O, T>(O owner, T item, long bytes, long seq) {
    }

    private static final Comparator<Entry<?, ?>> LARGEST_FIRST = Comparator.<Entry<?, ?>>comparingLong(e -> -e.bytes())
            .thenComparingLong(Entry::seq);

    private final Map<O, PriorityQueue<Entry<O, T>>> byOwner = new LinkedHashMap<>();
    /** The bytes each owner has left in the backlog. */
    private final Map<O, Long> left = new HashMap<>();
    private long seq;

    void add(O owner, T item, long bytes) {
        byOwner.computeIfAbsent(owner, o -> new PriorityQueue<>(LARGEST_FIRST))
                .add(new Entry<>(owner, item, bytes, seq++));
        left.merge(owner, bytes, Long::sum);
    }

    /** A copy taken out of the backlog, with its owner. */
    record Taken<O, T>(O owner, T item) {
    }

    /** The next copy for a worker holding connections of {@code current} (null: none), or null when empty. */
    Taken<O, T> next(O current) {
        Entry<O, T> best = null;
        O almostDone = null;
        for (Map.Entry<O, PriorityQueue<Entry<O, T>>> e : byOwner.entrySet()) {
            Entry<O, T> head = e.getValue().peek();
            if (best == null || LARGEST_FIRST.compare(head, best) < 0) {
                best = head;
            }
            long ownerLeft = left.get(e.getKey());
            if (ownerLeft < SWITCH_MIN_BYTES && (almostDone == null || ownerLeft < left.get(almostDone))) {
                almostDone = e.getKey();
            }
        }
        if (best == null) {
            return null;
        }
        PriorityQueue<Entry<O, T>> own = current == null ? null : byOwner.get(current);
        if (almostDone != null) {
            best = byOwner.get(almostDone).peek();
        } else if (own != null && best.owner() != current
                && (best.bytes() < SWITCH_MIN_BYTES || own.peek().bytes() >= best.bytes())) {
            best = own.peek();
        }
        PriorityQueue<Entry<O, T>> q = byOwner.get(best.owner());
        q.poll();
        left.merge(best.owner(), -best.bytes(), Long::sum);
        if (q.isEmpty()) {
            byOwner.remove(best.owner());
            left.remove(best.owner());
        }
        return new Taken<>(best.owner(), best.item());
    }

    /** Removes every copy of {@code owner}; returns how many there were. */
    int drop(O owner) {
        PriorityQueue<Entry<O, T>> q = byOwner.remove(owner);
        left.remove(owner);
        return q == null ? 0 : q.size();
    }

    int size(O owner) {
        PriorityQueue<Entry<O, T>> q = byOwner.get(owner);
        return q == null ? 0 : q.size();
    }
}
