package io.pgmigrate.stream;

import io.pgmigrate.config.Endpoint;
import io.pgmigrate.postgres.Connections;
import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.postgres.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.CopyOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies tables, one at a time, from a source connection to a target connection: {@code COPY ... TO STDOUT} read
 * row by row and written into {@code COPY ... FROM STDIN} through one fixed buffer, so memory stays bounded whatever
 * the table's size (one row larger than the buffer is passed on by itself). The source connection reads the
 * database's exported snapshot for every table, in one read-only transaction. On the target each table is copied
 * in one transaction, committed synchronously: once {@link #copy} returns, the rows are there, and a copy cut short
 * leaves nothing behind. With {@code freeze} the table is {@code TRUNCATE}d first (whatever it held goes) and
 * copied {@code WITH (FREEZE)}, so its rows need no later freezing; without, the table must be empty.
 */
public final class TableCopier implements CopyScheduler.Worker {
    private static final Logger log = LoggerFactory.getLogger(TableCopier.class);
    static final int BUFFER_BYTES = 1 << 16;
    /**
     * Text COPY writes a value as the source session prints it and reads it as the target session parses it: the
     * settings that change either are pinned on both, as pg_dump and pg_restore pin them. pgjdbc pins DateStyle
     * (ISO), extra_float_digits, client_encoding and TimeZone, but leaves IntervalStyle and search_path to the
     * database's settings: an interval "-1 2:03:04" printed in sql_standard style means "-1 day -02:03:04", read in
     * the postgres style "-1 day +02:03:04"; a regclass printed "things" where the schema is on the search_path
     * names no table, or another one, where it is not. xmloption too: a target whose default is "document" rejects
     * the XML content fragments a source column may hold, in either format. lc_monetary too: money printed in one
     * locale ("1.234,56 €" in de_DE) does not read back in another; in C on both sides it round-trips exactly, as in
     * binary.
     */
    private static final List<String> PINNED = List.of("SET IntervalStyle = postgres", "SET search_path = ''",
            "SET xmloption = content", "SET lc_monetary = 'C'");
    /**
     * A SQL_ASCII database stores bytes, not characters: whatever its text holds (often Latin-1 or a mix) is valid
     * there and nowhere else. Through pgjdbc's UTF8 client encoding the source sends those bytes as they are and the
     * target rejects the ones that are not UTF-8; with the client encoding SQL_ASCII on both, they pass as they are,
     * as they do through pg_dump, which dumps in the database's encoding.
     */
    static final String SQL_ASCII = "SQL_ASCII";

    /** What one table's copy moved. */
    public record Result(long rows, long bytes, boolean binary, boolean frozen) {
    }

    private final Connection source;
    private final Connection target;
    private final CopyManager sourceCopy;
    private final CopyManager targetCopy;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private final AtomicBoolean aborted = new AtomicBoolean();
    private final boolean binaryAllowed;
    private final boolean bytesAsTheyAre;

    private TableCopier(Connection source, Connection target, boolean binaryAllowed, boolean bytesAsTheyAre)
            throws SQLException {
        this.source = source;
        this.target = target;
        this.binaryAllowed = binaryAllowed;
        this.bytesAsTheyAre = bytesAsTheyAre;
        this.sourceCopy = source.unwrap(PGConnection.class).getCopyAPI();
        this.targetCopy = target.unwrap(PGConnection.class).getCopyAPI();
    }

    /** Opens both connections; the source one joins {@code snapshot} when given. */
    public static TableCopier open(Endpoint sourceServer, Endpoint targetServer, String database,
                                   Optional<String> snapshot) throws SQLException {
        Connection source = openSource(sourceServer, database, snapshot);
        Connection target = null;
        try {
            boolean binaryAllowed = integerDatetimes(source);
            target = openTarget(targetServer, database);
            binaryAllowed &= integerDatetimes(target);
            boolean bytesAsTheyAre = SQL_ASCII.equals(setting(source, "server_encoding"));
            if (bytesAsTheyAre) {
                for (Connection c : List.of(source, target)) {
                    try (Statement st = c.createStatement()) {
                        st.execute("SET client_encoding = " + Identifiers.literal(SQL_ASCII));
                    }
                }
            }
            target.commit();
            if (!binaryAllowed) {
                log.info("a server stores date/time values as floating point: copying in text");
            }
            return new TableCopier(source, target, binaryAllowed, bytesAsTheyAre);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(source);
            if (target != null) {
                closeQuietly(target);
            }
            throw e;
        }
    }

    /** A source connection in one read-only transaction, in {@code snapshot} when given, without statement timeout. */
    static Connection openSource(Endpoint server, String database, Optional<String> snapshot) throws SQLException {
        Connection source = Connections.open(server, database);
        try {
            source.setAutoCommit(false);
            try (Statement st = source.createStatement()) {
                st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                if (snapshot.isPresent()) {
                    st.execute("SET TRANSACTION SNAPSHOT " + Identifiers.literal(snapshot.get()));
                }
                st.execute("SET LOCAL statement_timeout = 0");
                pin(st);
            }
            return source;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(source);
            throw e;
        }
    }

    /** A target connection without autocommit whose commits are synchronous, without statement timeout. */
    static Connection openTarget(Endpoint server, String database) throws SQLException {
        Connection target = Connections.open(server, database);
        try {
            target.setAutoCommit(false);
            try (Statement st = target.createStatement()) {
                // the commit that says "copied" must survive a crash of the target server: the journal trusts it
                st.execute("SET synchronous_commit = on");
                st.execute("SET statement_timeout = 0");
                pin(st);
            }
            target.commit();
            return target;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(target);
            throw e;
        }
    }

    private static void pin(Statement st) throws SQLException {
        for (String setting : PINNED) {
            st.execute(setting);
        }
    }

    /** Binary COPY needs both servers to store date/time values as integers (every server since 10 does). */
    private static boolean integerDatetimes(Connection c) throws SQLException {
        return "on".equals(setting(c, "integer_datetimes"));
    }

    private static String setting(Connection c, String name) throws SQLException {
        try (Statement st = c.createStatement(); var rs = st.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Copies one table: with {@code freeze}, into a truncated table, else into an empty one. */
    public Result copy(CopyTable table, boolean binary, boolean freeze) throws SQLException {
        return copy(CopyPart.whole(table), binary, freeze);
    }

    /**
     * Copies one part of a table; {@code freeze} (truncate first) only for a whole table: the parts of a table are
     * copied at once by several workers, into a table emptied before.
     */
    public Result copy(CopyPart part, boolean binary, boolean freeze) throws SQLException {
        if (freeze && !part.isWhole()) {
            throw new IllegalArgumentException("a part of a table cannot be frozen: " + part.label());
        }
        CopyTable table = part.table();
        binary &= binaryAllowed;
        String copyIn = CopyStatements.copyIn(table, binary, freeze);
        String copyOut = CopyStatements.copyOut(part, binary);
        if (bytesAsTheyAre && !(ascii(copyIn) && ascii(copyOut))) {
            // pgjdbc sends statements in the client encoding: a name that is not ASCII would reach the server as "?"
            throw new SQLException("database is SQL_ASCII and " + part.label() + " has a name that is not ASCII: "
                    + "stream mode cannot copy it byte for byte; migrate this database with --mode dump");
        }
        CopyIn in = null;
        CopyOut out = null;
        try {
            if (freeze) {
                try (Statement st = target.createStatement()) {
                    st.execute(CopyStatements.truncate(table));
                }
            }
            in = targetCopy.copyIn(copyIn);
            out = sourceCopy.copyOut(copyOut);
            long bytes = 0;
            int filled = 0;
            byte[] row;
            while ((row = out.readFromCopy()) != null) {
                bytes += row.length;
                if (filled + row.length > buffer.length) {
                    if (filled > 0) {
                        in.writeToCopy(buffer, 0, filled);
                        filled = 0;
                    }
                    if (row.length > buffer.length) {
                        in.writeToCopy(row, 0, row.length);
                        continue;
                    }
                }
                System.arraycopy(row, 0, buffer, filled, row.length);
                filled += row.length;
            }
            if (filled > 0) {
                in.writeToCopy(buffer, 0, filled);
            }
            requireSnapshotsFile(part);
            long read = out.getHandledRowCount();
            long written = in.endCopy();
            target.commit();
            if (read != written) {
                throw new SQLException("read " + read + " rows of " + part.label() + " but the target took " + written);
            }
            return new Result(written, bytes, binary, freeze);
        } catch (SQLException | RuntimeException e) {
            if (aborted.get()) {
                throw new SQLException("copy of " + part.label() + " stopped", e);
            }
            cancel(in);
            rollbackQuietly(target);
            throw new SQLException("copying " + part.label() + ": " + e.getMessage(), e instanceof SQLException s
                    ? s.getSQLState() : null, e);
        }
    }

    /**
     * TRUNCATE and the forms of ALTER TABLE that rewrite a table are not MVCC-safe: committed after the snapshot, they
     * leave a copy that reads the snapshot and finds nothing, and the source count taken from that copy agrees with
     * it. VACUUM FULL and CLUSTER move the rows, which a copy in block ranges reads by their place. Each gives the
     * table a new file: the file the snapshot's catalog names is compared with the table's file now. Once the COPY
     * holds its lock, neither can happen until this transaction ends.
     */
    private void requireSnapshotsFile(CopyPart part) throws SQLException {
        try (PreparedStatement ps = source.prepareStatement(Sql.get("table_file_unchanged"))) {
            ps.setString(1, part.table().key());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getBoolean(1)) {
                    return;
                }
            }
        }
        throw new SQLException("the table was emptied or rewritten on the source after the run's snapshot "
                + "(TRUNCATE, ALTER TABLE, VACUUM FULL or CLUSTER): its copy cannot be trusted to hold the "
                + "snapshot's rows; keep DDL off the source while it is migrated, then run again (the table "
                + "is copied again, from a new snapshot)");
    }

    private static boolean ascii(String sql) {
        return sql.chars().allMatch(c -> c < 0x80);
    }

    /** From another thread: ends both connections at once, so a copy blocked on a socket stops. */
    @Override
    public void abort() {
        if (aborted.compareAndSet(false, true)) {
            abort(source, target);
        }
    }

    /** Ends connections at once, from any thread. */
    static void abort(Connection... connections) {
        for (Connection c : connections) {
            try {
                c.abort(Runnable::run);
            } catch (SQLException | RuntimeException e) {
                log.debug("aborting a copy connection: {}", e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        rollbackQuietly(source);
        closeQuietly(source);
        closeQuietly(target);
    }

    private static void cancel(CopyIn in) {
        if (in != null && in.isActive()) {
            try {
                in.cancelCopy();
            } catch (SQLException | RuntimeException e) {
                log.debug("cancelling a COPY FROM STDIN: {}", e.getMessage());
            }
        }
    }

    static void rollbackQuietly(Connection c) {
        try {
            if (!c.isClosed()) {
                c.rollback();
            }
        } catch (SQLException | RuntimeException e) {
            log.debug("rollback: {}", e.getMessage());
        }
    }

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException e) {
            log.debug("closing a copy connection: {}", e.getMessage());
        }
    }
}
