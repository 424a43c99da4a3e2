package io.pgmigrate.stream;

import io.pgmigrate.config.Endpoint;
import io.pgmigrate.postgres.Sql;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies batches of large objects, one at a time, from a source connection (in the database's exported snapshot,
 * as {@link TableCopier}) to a target connection; each batch in one target transaction. Content moves in chunks of
 * at most {@link #CHUNK} bytes: the source query holds at most {@link #FETCH} first chunks at once, small objects
 * are written {@link #FLUSH_BYTES} at a time with one statement, and a larger object is read and written chunk by
 * chunk ({@code lo_get(oid, offset, n)} / {@code lo_put}), so memory stays bounded whatever the objects' sizes.
 */
final class LargeObjectCopier implements CopyScheduler.Worker {
    static final int CHUNK = 1 << 20;
    static final int FETCH = 16;
    static final int FLUSH_BYTES = 8 << 20;

    /** What one batch moved. */
    record Result(long objects, long bytes) {
    }

    private final Connection source;
    private final Connection target;
    private final AtomicBoolean aborted = new AtomicBoolean();
    private final List<Long> pendingOids = new ArrayList<>();
    private final List<byte[]> pendingData = new ArrayList<>();
    private long pendingBytes;

    private final AtomicLong objects;
    private final AtomicLong bytes;

    private LargeObjectCopier(Connection source, Connection target, AtomicLong objects, AtomicLong bytes) {
        this.source = source;
        this.target = target;
        this.objects = objects;
        this.bytes = bytes;
    }

    /** Opens both connections; each batch taken adds what it moved to {@code objects} and {@code bytes}. */
    static LargeObjectCopier open(Endpoint sourceServer, Endpoint targetServer, String database,
                                  Optional<String> snapshot, AtomicLong objects, AtomicLong bytes)
            throws SQLException {
        Connection source = TableCopier.openSource(sourceServer, database, snapshot);
        try {
            return new LargeObjectCopier(source, TableCopier.openTarget(targetServer, database), objects, bytes);
        } catch (SQLException | RuntimeException e) {
            TableCopier.closeQuietly(source);
            throw e;
        }
    }

    /** Copies the large objects with oids from {@code first} to {@code last}: content, owner, comment, ACL. */
    Result copy(long first, long last) throws SQLException {
        try {
            long objects = 0;
            long bytes = 0;
            List<String> metadata = new ArrayList<>();
            try (PreparedStatement ps = source.prepareStatement(Sql.get("large_object_batch"))) {
                ps.setFetchSize(FETCH);
                ps.setInt(1, CHUNK);
                ps.setLong(2, first);
                ps.setLong(3, last);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long oid = rs.getLong(1);
                        metadata.addAll(LargeObjectStatements.ownerAndComment(oid, rs.getString(2), rs.getString(3)));
                        byte[] head = rs.getBytes(4);
                        objects++;
                        bytes += head.length < CHUNK ? writeSmall(oid, head) : writeLarge(oid, head);
                    }
                }
            }
            flush();
            metadata.addAll(privileges(first, last));
            try (Statement st = target.createStatement()) {
                for (String sql : metadata) {
                    st.addBatch(sql);
                }
                st.executeBatch();
            }
            target.commit();
            return new Result(objects, bytes);
        } catch (SQLException | RuntimeException e) {
            String what = "large objects " + first + " to " + last;
            if (aborted.get()) {
                throw new SQLException("copy of " + what + " stopped", e);
            }
            TableCopier.rollbackQuietly(target);
            throw new SQLException("copying " + what + ": " + e.getMessage(), e instanceof SQLException s
                    ? s.getSQLState() : null, e);
        } finally {
            pendingOids.clear();
            pendingData.clear();
            pendingBytes = 0;
        }
    }

    /** Queues a whole object, written with the next flush. */
    private long writeSmall(long oid, byte[] content) throws SQLException {
        pendingOids.add(oid);
        pendingData.add(content);
        pendingBytes += content.length;
        if (pendingBytes >= FLUSH_BYTES) {
            flush();
        }
        return content.length;
    }

    private void flush() throws SQLException {
        if (pendingOids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = target.prepareStatement("SELECT count(pg_catalog.lo_from_bytea(u.o, u.d)) "
                + "FROM unnest(?::bigint[]::oid[], ?::bytea[]) AS u(o, d)")) {
            Array oids = target.createArrayOf("int8", pendingOids.toArray());
            Array data = target.createArrayOf("bytea", pendingData.toArray(byte[][]::new));
            ps.setArray(1, oids);
            ps.setArray(2, data);
            ps.executeQuery().close();
        }
        pendingOids.clear();
        pendingData.clear();
        pendingBytes = 0;
    }

    /** An object of at least one chunk: created with its first chunk, then the rest read and written by chunks. */
    private long writeLarge(long oid, byte[] head) throws SQLException {
        try (PreparedStatement create = target.prepareStatement("SELECT pg_catalog.lo_from_bytea(?::bigint::oid, ?)");
             PreparedStatement read = source.prepareStatement("SELECT pg_catalog.lo_get(?::bigint::oid, ?, ?)");
             PreparedStatement write = target.prepareStatement("SELECT pg_catalog.lo_put(?::bigint::oid, ?, ?)")) {
            create.setLong(1, oid);
            create.setBytes(2, head);
            create.executeQuery().close();
            long offset = head.length;
            byte[] chunk = head;
            while (chunk.length == CHUNK) {
                read.setLong(1, oid);
                read.setLong(2, offset);
                read.setInt(3, CHUNK);
                try (ResultSet rs = read.executeQuery()) {
                    rs.next();
                    chunk = rs.getBytes(1);
                }
                if (chunk.length > 0) {
                    write.setLong(1, oid);
                    write.setLong(2, offset);
                    write.setBytes(3, chunk);
                    write.executeQuery().close();
                    offset += chunk.length;
                }
            }
            return offset;
        }
    }

    /** The statements that give the batch's objects with an ACL the source's privileges. */
    private List<String> privileges(long first, long last) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = source.prepareStatement(Sql.get("large_object_acl"))) {
            ps.setLong(1, first);
            ps.setLong(2, last);
            try (ResultSet rs = ps.executeQuery()) {
                long previous = -1;
                while (rs.next()) {
                    long oid = rs.getLong(1);
                    String owner = rs.getString(2);
                    if (oid != previous) {
                        out.add(LargeObjectStatements.revokeDefaults(oid, owner));
                        previous = oid;
                    }
                    if (rs.getString(3) != null) {
                        out.addAll(LargeObjectStatements.grant(oid, owner, rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getBoolean(6)));
                    }
                }
            }
        }
        return out;
    }

    /** Copies one batch, {first, last}, and adds what it moved to the totals. */
    void take(long[] batch) throws SQLException {
        Result r = copy(batch[0], batch[1]);
        objects.addAndGet(r.objects());
        bytes.addAndGet(r.bytes());
    }

    @Override
    public void abort() {
        if (aborted.compareAndSet(false, true)) {
            TableCopier.abort(source, target);
        }
    }

    @Override
    public void close() {
        TableCopier.rollbackQuietly(source);
        TableCopier.closeQuietly(source);
        TableCopier.closeQuietly(target);
    }
}
