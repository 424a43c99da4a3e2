package io.pgmigrate.stream;

import io.pgmigrate.MigrationException;
import io.pgmigrate.config.Endpoint;
import io.pgmigrate.postgres.Connections;
import io.pgmigrate.postgres.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stream mode's large objects, copied server to server with no file in between (the schema archive is dumped
 * with {@code --no-blobs}): the database's large objects, listed in its snapshot, are cut into batches of
 * {@link #BATCH} consecutive oids, and the run's copy workers ({@link CopyScheduler}, each with a
 * {@link LargeObjectCopier}: a source connection in the snapshot and a target connection) copy one batch per target
 * transaction, content and metadata (same oid, owner, ACL, comment), in turn with the other databases' tables. The
 * first failure, or an interrupt of the calling thread (Ctrl-C), aborts the database's copies at once.
 *
 * <p>Resume: each batch gets a line in the copy journal once it has committed ({@code large objects FIRST-LAST}),
 * and the whole copy the line {@link #JOURNAL_KEY} (no table key can be either: table keys are quoted). A run that
 * finds the pre-data restored by an earlier run but not that last line cuts its own snapshot's list the same way,
 * keeps the batches the journal lists (the same oids from the same source), unlinks every other large object the
 * target holds (a batch may have committed without its line), and copies the batches not kept.
 */
public final class LargeObjectCopy {
    private static final Logger log = LoggerFactory.getLogger(LargeObjectCopy.class);
    /** Objects per batch: each holds a lock per object on the target until its commit (ALTER ... OWNER). */
    static final int BATCH = 200;
    static final String JOURNAL_KEY = "large objects";

    private final Endpoint source;
    private final Endpoint target;
    private final String database;
    private final Optional<String> snapshot;
    private final CopyScheduler copies;
    /** The size of the source's pg_largeobject: each batch is taken as an equal share of it, in the copy order. */
    private long storedBytes;

    public LargeObjectCopy(Endpoint source, Endpoint target, String database, Optional<String> snapshot,
                           CopyScheduler copies) {
        this.source = source;
        this.target = target;
        this.database = database;
        this.snapshot = snapshot;
        this.copies = copies;
    }

    /** Refuses a source whose large objects carry security labels: this copy does not carry them. */
    public static void requireNoSecurityLabels(Connection source) throws SQLException {
        try (Statement st = source.createStatement(); ResultSet rs = st.executeQuery(Sql.get("large_object_labels"))) {
            rs.next();
            if (rs.getLong(1) > 0) {
                throw MigrationException.environment(rs.getLong(1) + " large object security label(s) on the "
                        + "source: stream mode does not copy them; migrate this database with --mode dump");
            }
        }
    }

    /**
     * Copies every large object, unless the journal says an earlier run did; {@code fresh}: the target has none yet
     * (its schema was restored by this run). Returns how many objects an earlier run copied (at its snapshot).
     */
    public long run(CopyJournal journal, boolean fresh) throws SQLException, InterruptedException {
        Set<String> journaled = journal.read();
        if (journaled.contains(JOURNAL_KEY)) {
            log.info("stream mode: the large objects were copied by an earlier run");
            return 0;
        }
        long earlier = 0;
        List<long[]> batches = batches();
        if (!fresh) {
            List<long[]> kept = batches.stream().filter(b -> journaled.contains(key(b))).toList();
            unlinkAllBut(kept);
            if (!kept.isEmpty()) {
                earlier = kept.stream().mapToLong(b -> b[2]).sum();
                log.info("stream mode: {} of {} large object batch(es) were copied by an earlier run", kept.size(),
                        batches.size());
                batches = batches.stream().filter(b -> !journaled.contains(key(b))).toList();
            }
        }
        if (!batches.isEmpty()) {
            copy(batches, journal);
        }
        journal.add(JOURNAL_KEY);
        return earlier;
    }

    /**
     * A batch's journal line: its first and last oid and how many it holds. The count matters for the last batch,
     * the one shorter than {@link #BATCH}: an object created or unlinked inside its range on the source since would
     * leave first and last as they were (in any other batch it moves the boundaries of the batches after it).
     */
    static String key(long[] batch) {
        return JOURNAL_KEY + " " + batch[0] + "-" + batch[1] + " (" + batch[2] + ")";
    }

    /** The snapshot's large objects as batches of consecutive oids, {first, last, count}. */
    private List<long[]> batches() throws SQLException {
        List<long[]> out = new ArrayList<>();
        Connection c = TableCopier.openSource(source, database, snapshot);
        try (PreparedStatement ps = c.prepareStatement(Sql.get("large_object_oids"))) {
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                long[] batch = null;
                int n = 0;
                while (rs.next()) {
                    long oid = rs.getLong(1);
                    if (n++ % BATCH == 0) {
                        batch = new long[] {oid, oid, 0};
                        out.add(batch);
                    }
                    batch[1] = oid;
                    batch[2]++;
                }
            }
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT pg_catalog.pg_relation_size('pg_catalog.pg_largeobject')")) {
                rs.next();
                storedBytes = rs.getLong(1);
            }
        } finally {
            TableCopier.rollbackQuietly(c);
            TableCopier.closeQuietly(c);
        }
        return out;
    }

    /**
     * What a stopped run committed outside {@code kept} (sorted, disjoint oid ranges): unlinked BATCH at a time
     * (each unlink holds a lock until the commit), the target's list read on another connection as it goes.
     */
    private void unlinkAllBut(List<long[]> kept) throws SQLException {
        long unlinked = 0;
        try (Connection list = Connections.open(target, database);
             Connection unlink = Connections.open(target, database);
             PreparedStatement oids = list.prepareStatement(Sql.get("large_object_oids"));
             PreparedStatement drop = unlink.prepareStatement(
                     "SELECT count(pg_catalog.lo_unlink(o)) FROM unnest(?::pg_catalog.oid[]) o")) {
            list.setAutoCommit(false); // a cursor: the list is read BATCH at a time, whatever its size
            try (Statement st = unlink.createStatement()) {
                // the journal may say "all copied" right after: no batch copied since would have flushed these
                st.execute("SET synchronous_commit = on");
            }
            oids.setFetchSize(BATCH);
            List<Long> pending = new ArrayList<>();
            try (ResultSet rs = oids.executeQuery()) {
                while (rs.next()) {
                    long oid = rs.getLong(1);
                    if (!within(kept, oid)) {
                        pending.add(oid);
                    }
                    if (pending.size() == BATCH) {
                        unlinked += unlink(drop, pending);
                    }
                }
            }
            unlinked += unlink(drop, pending);
            list.rollback();
        }
        if (unlinked > 0) {
            log.info("stream mode: unlinked the {} large object(s) an earlier run copied outside the batches it "
                    + "journaled; copying them again", unlinked);
        }
    }

    private static long unlink(PreparedStatement drop, List<Long> oids) throws SQLException {
        if (oids.isEmpty()) {
            return 0;
        }
        drop.setArray(1, drop.getConnection().createArrayOf("bigint", oids.toArray()));
        long n;
        try (ResultSet rs = drop.executeQuery()) {
            rs.next();
            n = rs.getLong(1);
        }
        oids.clear();
        return n;
    }

    /** Whether {@code oid} falls in one of the sorted, disjoint ranges. */
    static boolean within(List<long[]> ranges, long oid) {
        int lo = 0;
        int hi = ranges.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long[] r = ranges.get(mid);
            if (oid < r[0]) {
                hi = mid - 1;
            } else if (oid > r[1]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    private void copy(List<long[]> batches, CopyJournal journal) throws SQLException, InterruptedException {
        log.info("stream mode: copying the large objects ({} batch(es) of up to {}) with the copy workers",
                batches.size(), BATCH);
        AtomicLong objects = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        long start = System.nanoTime();
        long batchBytes = storedBytes / batches.size();
        copies.run(batches.stream().map(b -> new CopyScheduler.Item<LargeObjectCopier>(batchBytes, w -> {
                    w.take(b);
                    journal.add(key(b));
                })).toList(),
                () -> LargeObjectCopier.open(source, target, database, snapshot, objects, bytes));
        double secs = Math.max((System.nanoTime() - start) / 1e9, 1e-3);
        log.info("stream mode: copied {} large object(s), {} in {}", objects.get(),
                String.format(Locale.ROOT, "%.1f MB", bytes.get() / (1024.0 * 1024)),
                String.format(Locale.ROOT, "%.1fs", secs));
    }
}
