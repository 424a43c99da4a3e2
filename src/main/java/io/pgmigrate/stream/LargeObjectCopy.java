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
 * <p>Resume: once every batch has committed, the copy journal gets the line {@link #JOURNAL_KEY} (no table key can
 * be that: table keys are quoted). A run that finds the pre-data restored by an earlier run but no such line
 * unlinks whatever large objects the target holds (the batches the stopped run committed) and copies them all
 * again, from its own snapshot.
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
     * (its schema was restored by this run).
     */
    public void run(CopyJournal journal, boolean fresh) throws SQLException, InterruptedException {
        if (journal.read().contains(JOURNAL_KEY)) {
            log.info("stream mode: the large objects were copied by an earlier run");
            return;
        }
        List<long[]> batches = batches();
        if (!fresh) {
            unlinkAll();
        }
        if (!batches.isEmpty()) {
            copy(batches);
        }
        journal.add(JOURNAL_KEY);
    }

    /** The snapshot's large objects as batches of consecutive oids, {first, last}. */
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
                        batch = new long[] {oid, oid};
                        out.add(batch);
                    }
                    batch[1] = oid;
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

    /** What a stopped run committed: unlinked BATCH at a time (each unlink holds a lock until the commit). */
    private void unlinkAll() throws SQLException {
        long unlinked = 0;
        try (Connection c = Connections.open(target, database); Statement st = c.createStatement()) {
            while (true) {
                try (ResultSet rs = st.executeQuery("SELECT count(pg_catalog.lo_unlink(m.oid)) FROM (SELECT oid "
                        + "FROM pg_catalog.pg_largeobject_metadata LIMIT " + BATCH + ") m")) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        break;
                    }
                    unlinked += rs.getLong(1);
                }
            }
        }
        if (unlinked > 0) {
            log.info("stream mode: unlinked the {} large object(s) an earlier run copied; copying them all again",
                    unlinked);
        }
    }

    private void copy(List<long[]> batches) throws SQLException, InterruptedException {
        log.info("stream mode: copying the large objects ({} batch(es) of up to {}) with the copy workers",
                batches.size(), BATCH);
        AtomicLong objects = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        long start = System.nanoTime();
        long batchBytes = storedBytes / batches.size();
        copies.run(batches.stream().map(b -> new CopyScheduler.Item<LargeObjectCopier>(batchBytes, w -> w.take(b)))
                        .toList(),
                () -> LargeObjectCopier.open(source, target, database, snapshot, objects, bytes));
        double secs = Math.max((System.nanoTime() - start) / 1e9, 1e-3);
        log.info("stream mode: copied {} large object(s), {} in {}", objects.get(),
                String.format(Locale.ROOT, "%.1f MB", bytes.get() / (1024.0 * 1024)),
                String.format(Locale.ROOT, "%.1fs", secs));
    }
}
