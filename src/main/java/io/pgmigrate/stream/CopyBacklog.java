package io.pgmigrate.stream;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The copies waiting for a worker, of every owner (a database's submission) at once: the next one is the largest
 * of all (the first submitted among equals), so the big tables of every database start first and the small ones
 * fill in at the end. One exception keeps a worker's connections in use: a worker that holds connections of one
 * owner takes that owner's next copy instead when the largest of all is below {@link #SWITCH_MIN_BYTES} (a small
 * copy is not worth opening two connections for) or no larger than that owner's own next. Not thread-safe: the
 * scheduler guards it.
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
    private long seq;

    void add(O owner, T item, long bytes) {
        byOwner.computeIfAbsent(owner, o -> new PriorityQueue<>(LARGEST_FIRST))
                .add(new Entry<>(owner, item, bytes, seq++));
    }

    /** A copy taken out of the backlog, with its owner. */
    record Taken<O, T>(O owner, T item) {
    }

    /** The next copy for a worker holding connections of {@code current} (null: none), or null when empty. */
    Taken<O, T> next(O current) {
        Entry<O, T> best = null;
        for (PriorityQueue<Entry<O, T>> q : byOwner.values()) {
            if (best == null || LARGEST_FIRST.compare(q.peek(), best) < 0) {
                best = q.peek();
            }
        }
        if (best == null) {
            return null;
        }
        PriorityQueue<Entry<O, T>> own = current == null ? null : byOwner.get(current);
        if (own != null && best.owner() != current
                && (best.bytes() < SWITCH_MIN_BYTES || own.peek().bytes() >= best.bytes())) {
            best = own.peek();
        }
        PriorityQueue<Entry<O, T>> q = byOwner.get(best.owner());
        q.poll();
        if (q.isEmpty()) {
            byOwner.remove(best.owner());
        }
        return new Taken<>(best.owner(), best.item());
    }

    /** Removes every copy of {@code owner}; returns how many there were. */
    int drop(O owner) {
        PriorityQueue<Entry<O, T>> q = byOwner.remove(owner);
        return q == null ? 0 : q.size();
    }

    int size(O owner) {
        PriorityQueue<Entry<O, T>> q = byOwner.get(owner);
        return q == null ? 0 : q.size();
    }
}
