package io.pgmigrate.stream;

import io.pgmigrate.postgres.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Finishes each table as soon as its data is in, while other tables are still being copied: its indexes built by
 * {@code jobs} workers (a table's indexes in parallel, each one on its own connection to the target; each step waits
 * for one of the run's {@code --index-jobs} permits, shared by every database's builder), then, once
 * all of them are, its PRIMARY KEY and UNIQUE constraints attached to their indexes and the table vacuumed and
 * analyzed as {@link VacuumPlan} says for the target's version (on 11 to 15 small tables are vacuumed several at
 * once, after their ANALYZE; {@link #finish} vacuums the last of them). A foreign key is added as soon as both of
 * its tables are finished, one key at a time: adding one locks both tables, so two at once could deadlock. Every
 * step is a no-op where an earlier run did it, so a resumed run may hand the same table in again (a run that stops
 * before a table's vacuum leaves it to the next run, which hands in again every table it finds copied).
 *
 * <p>The first failure stops the workers; {@link #finish} throws it. {@link #abort} (another thread, Ctrl-C)
 * ends their connections at once.
 */
public final class IndexBuilder {
    private static final Logger log = LoggerFactory.getLogger(IndexBuilder.class);
    private static final Runnable STOP = () -> { };

    /** Opens a worker's connection to the target database. */
    @FunctionalInterface
    public interface Target {
        Connection open() throws SQLException;
    }

    private final BlockingQueue<Object> tasks = new LinkedBlockingQueue<>();
    private final List<Thread> workers = new ArrayList<>();
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Set<TableRef> finished = ConcurrentHashMap.newKeySet();
    private final AtomicInteger built = new AtomicInteger();
    /**
     * Tables handed in and not finished yet, foreign keys queued and not added yet, and vacuums of several tables
     * queued and not done yet; guarded by {@code this}.
     */
    private int unfinished;
    /** Tables handed in so far; guarded by {@code this}. */
    private int handedIn;
    /** Finished tables waiting to be vacuumed with others ({@link VacuumPlan#batch}); guarded by {@code this}. */
    private final List<String> unvacuumed = new ArrayList<>();
    private final boolean analyze;
    private final Target target;
    /** The foreign keys to add, by each of their two tables. */
    private final Map<TableRef, List<ForeignKey>> keysByTable = new HashMap<>();
    private final Set<ForeignKey> keysQueued = ConcurrentHashMap.newKeySet();
    private final Set<ForeignKey> keysAdded = ConcurrentHashMap.newKeySet();
    private final Object keyLane = new Object();
    /** The run's --index-jobs: one is held for each build, table finish and foreign key. */
    private final Semaphore permits;

    /** A table handed in: its indexes, the ones still being built, its size and whether its rows were frozen. */
    private record Table(TableRef ref, List<TableIndex> indexes, AtomicInteger pending, long bytes, boolean frozen) {
    }

    /** Finished tables vacuumed by one command. */
    private record Vacuum(List<String> tables) {
    }

    private record Build(Table table, TableIndex index) {
    }

    /**
     * @param permits     the run's --index-jobs, shared with the other databases' builders
     * @param foreignKeys the keys to add once both of their tables are finished
     */
    public IndexBuilder(int jobs, Semaphore permits, Target target, boolean analyze, List<ForeignKey> foreignKeys,
                        String threadName) {
        this.permits = permits;
        this.target = target;
        this.analyze = analyze;
        for (ForeignKey k : foreignKeys) {
            keysByTable.computeIfAbsent(k.table(), t -> new ArrayList<>()).add(k);
            if (!k.referenced().equals(k.table())) {
                keysByTable.computeIfAbsent(k.referenced(), t -> new ArrayList<>()).add(k);
            }
        }
        var mdc = MDC.getCopyOfContextMap();
        for (int i = 1; i <= Math.max(1, jobs); i++) {
            Thread t = new Thread(() -> {
                if (mdc != null) {
                    MDC.setContextMap(mdc);
                }
                work(target);
            }, threadName + "-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
    }

    /**
     * The table's rows are in (committed): build its indexes, then attach its constraints and analyze it.
     *
     * @param bytes its size on the source
     */
    public void tableCopied(TableRef ref, List<TableIndex> indexes, long bytes, boolean frozen) {
        Table table = new Table(ref, List.copyOf(indexes), new AtomicInteger(indexes.size()), bytes, frozen);
        synchronized (this) {
            unfinished++;
            handedIn++;
        }
        if (indexes.isEmpty()) {
            tasks.add(table);
        } else {
            indexes.forEach(i -> tasks.add(new Build(table, i)));
        }
    }

    /** Waits until every table handed in is finished; throws the first failure. */
    public void finish() throws SQLException, InterruptedException {
        try {
            synchronized (this) {
                while (true) {
                    while (unfinished > 0 && failure.get() == null) {
                        wait();
                    }
                    if (failure.get() != null || unvacuumed.isEmpty()) {
                        break;
                    }
                    queueVacuum();
                }
            }
            workers.forEach(w -> tasks.add(STOP));
            for (Thread w : workers) {
                w.join();
            }
        } catch (InterruptedException e) {
            abort();
            throw e;
        }
        CopyScheduler.rethrow(failure.get());
        if (analyze && !finished.isEmpty()) {
            updateDatabaseStats();
        }
    }

    /** What the tables' VACUUMs left out (see {@link VacuumPlan#atEnd}): the database's oldest unfrozen xid, once. */
    private void updateDatabaseStats() throws SQLException {
        try (Connection c = target.open(); Statement st = c.createStatement()) {
            String atEnd = VacuumPlan.of(c).atEnd();
            if (atEnd != null) {
                c.setAutoCommit(true);
                st.execute(atEnd);
            }
        }
    }

    /** The finished tables waiting for their vacuum, to a worker; the caller holds {@code this}. */
    private void queueVacuum() {
        unfinished++;
        tasks.add(new Vacuum(List.copyOf(unvacuumed)));
        unvacuumed.clear();
    }

    /**
     * Stops the workers now: what the target is building for them is cancelled and rolled back, and their connections
     * end. Ending a connection alone would not do: the server notices a closed connection only when it next talks to
     * the client, so a CREATE INDEX, VACUUM or foreign key check would run on to its commit after the tool stopped.
     */
    public void abort() {
        failure.compareAndSet(null, new SQLException("index builds stopped"));
        synchronized (this) {
            notifyAll();
        }
        tasks.clear();
        workers.forEach(w -> tasks.add(STOP));
        for (Connection c : open) {
            try {
                c.unwrap(PGConnection.class).cancelQuery();
            } catch (SQLException | RuntimeException e) {
                log.debug("cancelling an index build: {}", e.getMessage());
            }
            try {
                c.abort(Runnable::run);
            } catch (SQLException | RuntimeException e) {
                log.debug("aborting an index build connection: {}", e.getMessage());
            }
        }
    }

    /** The tables finished (indexes, constraints, statistics). */
    public Set<TableRef> finished() {
        return Set.copyOf(finished);
    }

    public int indexesBuilt() {
        return built.get();
    }

    /** The foreign keys added (or found added by an earlier run). */
    public Set<ForeignKey> foreignKeysAdded() {
        return Set.copyOf(keysAdded);
    }

    private void work(Target target) {
        Connection c = null;
        try {
            while (true) {
                Object task = tasks.take();
                if (task == STOP || failure.get() != null) {
                    return;
                }
                if (c == null) {
                    c = target.open();
                    open.add(c);
                    c.setAutoCommit(true);
                    try (Statement st = c.createStatement()) {
                        // the definitions qualify every name, as pg_restore's do
                        st.execute("SET search_path = ''");
                        st.execute("SET statement_timeout = 0");
                    }
                }
                while (!permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    if (failure.get() != null) {
                        return;
                    }
                }
                if (failure.get() != null) {
                    // stopped while this connection was being opened: abort() may not have seen it
                    permits.release();
                    return;
                }
                try {
                    if (task instanceof Build b) {
                        build(c, b);
                    } else if (task instanceof ForeignKey k) {
                        add(c, k);
                    } else if (task instanceof Vacuum v) {
                        vacuum(c, v);
                    } else {
                        finishTable(c, (Table) task);
                    }
                } finally {
                    permits.release();
                }
            }
        } catch (Throwable e) {
            if (failure.compareAndSet(null, e)) {
                tasks.clear();
                workers.forEach(w -> tasks.add(STOP));
            }
            synchronized (this) {
                notifyAll();
            }
        } finally {
            if (c != null) {
                open.remove(c);
                try {
                    c.close();
                } catch (SQLException e) {
                    log.debug("closing an index build connection: {}", e.getMessage());
                }
            }
        }
    }

    private void build(Connection c, Build b) throws SQLException {
        long start = System.nanoTime();
        try (Statement st = c.createStatement()) {
            st.execute(b.index().createStatement());
        } catch (SQLException e) {
            throw new SQLException("building index " + b.index().name() + " of " + b.table().ref() + ": "
                    + e.getMessage(), e.getSQLState(), e);
        }
        built.incrementAndGet();
        log.debug("built index {} of {} in {} ms", b.index().name(), b.table().ref(),
                (System.nanoTime() - start) / 1_000_000);
        if (b.table().pending().decrementAndGet() == 0) {
            tasks.add(b.table());
        }
    }

    private void finishTable(Connection c, Table table) throws SQLException {
        String key = table.ref().key();
        VacuumPlan plan = VacuumPlan.of(c);
        List<String> clauses = attachClauses(c, table);
        try (Statement st = c.createStatement()) {
            if (!clauses.isEmpty()) {
                st.execute("ALTER TABLE ONLY " + key + " " + String.join(", ", clauses));
            }
            for (TableIndex i : table.indexes()) {
                if (i.commentStatement() != null) {
                    st.execute(i.commentStatement());
                }
            }
            if (analyze) {
                st.execute(plan.now(key, table.bytes(), table.frozen()));
            }
        } catch (SQLException e) {
            throw new SQLException("finishing " + key + ": " + e.getMessage(), e.getSQLState(), e);
        }
        finished.add(table.ref());
        if (analyze && plan.batched(table.bytes(), table.frozen())) {
            synchronized (this) {
                unvacuumed.add(key);
                if (unvacuumed.size() >= VacuumPlan.batchSize(handedIn)) {
                    queueVacuum();
                }
            }
        }
        for (ForeignKey k : keysByTable.getOrDefault(table.ref(), List.of())) {
            if (finished.contains(k.table()) && finished.contains(k.referenced()) && keysQueued.add(k)) {
                synchronized (this) {
                    unfinished++;
                }
                tasks.add(k);
            }
        }
        synchronized (this) {
            unfinished--;
            notifyAll();
        }
    }

    private void vacuum(Connection c, Vacuum v) throws SQLException {
        long start = System.nanoTime();
        try (Statement st = c.createStatement()) {
            st.execute(VacuumPlan.batch(v.tables()));
        } catch (SQLException e) {
            throw new SQLException("vacuuming " + v.tables().size() + " tables (" + v.tables().get(0) + " ...): "
                    + e.getMessage(), e.getSQLState(), e);
        }
        log.debug("vacuumed {} tables in {} ms", v.tables().size(), (System.nanoTime() - start) / 1_000_000);
        synchronized (this) {
            unfinished--;
            notifyAll();
        }
    }

    private void add(Connection c, ForeignKey k) throws SQLException {
        long start = System.nanoTime();
        synchronized (keyLane) {
            try (Statement st = c.createStatement()) {
                if (!k.presentOn(c)) {
                    st.execute(k.addStatement());
                }
                // apart from the key's own commit: given again where an earlier run stopped in between
                if (k.commentStatement() != null) {
                    st.execute(k.commentStatement());
                }
            } catch (SQLException e) {
                throw new ForeignKey.AddFailed(k, e);
            }
        }
        keysAdded.add(k);
        log.debug("added foreign key {} of {} in {} ms", k.name(), k.table(), (System.nanoTime() - start) / 1_000_000);
        synchronized (this) {
            unfinished--;
            notifyAll();
        }
    }

    /** The constraints not attached yet (an earlier run may have attached some). */
    private static List<String> attachClauses(Connection c, Table table) throws SQLException {
        List<TableIndex> withConstraint = table.indexes().stream().filter(i -> i.constraint() != null).toList();
        if (withConstraint.isEmpty()) {
            return List.of();
        }
        Set<String> present = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT conname FROM pg_catalog.pg_constraint WHERE conrelid = ?::pg_catalog.regclass")) {
            ps.setString(1, table.ref().key());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    present.add(rs.getString(1));
                }
            }
        }
        return withConstraint.stream().filter(i -> !present.contains(i.name())).map(TableIndex::attachClause)
                .collect(Collectors.toList());
    }
}
