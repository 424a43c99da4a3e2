package io.pgmigrate.pipeline;

import io.pgmigrate.MigrationException;
import io.pgmigrate.config.Endpoint;
import io.pgmigrate.postgres.Connections;
import io.pgmigrate.postgres.DatabaseInfo;
import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.postgres.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source's lock table, which pg_dump fills: it locks every table it dumps (ACCESS SHARE) in one transaction and
 * holds the locks until it ends, and the shared lock table is sized for max_locks_per_transaction per server process
 * and prepared transaction, every session's locks together. A database with more tables than that is refused before
 * any change, with what to set (pg_dump alone fails on it, "out of shared memory"). The dumps of several databases
 * wait for each other while their tables together would not fit, so many databases of a few thousand tables each do
 * not fill it between them. (Stream mode's copies hold no such locks: {@code COPY ... TO} releases its table's lock as
 * it ends, though the copy's transaction goes on.)
 */
final class SourceLocks {
    private static final Logger log = LoggerFactory.getLogger(SourceLocks.class);

    private final int capacity;
    private final Map<String, Integer> tables;
    private final Slots.Pool pool;

    private SourceLocks(int capacity, Map<String, Integer> tables) {
        this.capacity = capacity;
        this.tables = tables;
        this.pool = new Slots.Pool(capacity);
    }

    /** Reads the lock table's size and each database's tables; refuses a database that cannot fit (exit 3). */
    static SourceLocks read(Endpoint source, SourceSurvey survey) throws SQLException {
        int perTransaction;
        int processes;
        try (Connection c = Connections.open(source, source.database()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(Sql.get("lock_table_size"))) {
            rs.next();
            perTransaction = rs.getInt(1);
            processes = rs.getInt(2);
        }
        int capacity = perTransaction * processes;
        Map<String, Integer> tables = new HashMap<>();
        for (var db : survey.databases().entrySet()) {
            int n = db.getValue().lockedTables();
            if (n > capacity) {
                throw MigrationException.environment(refusal(db.getKey(), n, perTransaction, processes));
            }
            tables.put(db.getKey(), n);
        }
        log.info("source lock table: about {} locks (max_locks_per_transaction {} x {} processes); databases whose "
                + "tables together exceed it are dumped one after another", capacity, perTransaction, processes);
        return new SourceLocks(capacity, tables);
    }

    /** One line: what does not fit, and the max_locks_per_transaction that makes it fit with today's room to spare. */
    static String refusal(String database, int tables, int perTransaction, int processes) {
        int needed = perTransaction + (tables + processes - 1) / processes;
        return "database " + Identifiers.quote(database) + " has " + tables + " tables, and pg_dump locks every one "
                + "of them in one transaction, but the source's lock table holds about " + perTransaction * processes
                + " locks (max_locks_per_transaction " + perTransaction + " x " + processes + " server processes and "
                + "prepared transactions): raise max_locks_per_transaction on the source to at least " + needed
                + " (it takes a restart) and run again, or leave the database out with --exclude-db";
    }

    /** Waits until the database's tables fit among the locks of the dumps under way; closing gives them back. */
    Slots.Slot hold(DatabaseInfo db, int rank) throws InterruptedException {
        return pool.acquire(rank, Math.min(capacity, tables.getOrDefault(db.name(), 0)));
    }
}
