package io.pgmigrate.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.MDC;

/** The scheduler's own logic, with workers that hold no connections: a copy is a task that sleeps or blocks. */
class CopySchedulerTest {
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final Map<String, Thread> threads = new ConcurrentHashMap<>();
    private CopyScheduler scheduler;

    @AfterEach
    void close() {
        if (scheduler != null) {
            scheduler.close();
        }
    }

    /** A worker without connections: counts its opens and closes; abort ends a blocked task. */
    static final class FakeWorker implements CopyScheduler.Worker {
        final CountDownLatch aborted = new CountDownLatch(1);
        final AtomicInteger openWorkers;

        FakeWorker(AtomicInteger openWorkers) {
            this.openWorkers = openWorkers;
            openWorkers.incrementAndGet();
        }

        void block() throws SQLException {
            try {
                if (aborted.await(30, TimeUnit.SECONDS)) {
                    throw new SQLException("copy stopped");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new SQLException("never aborted");
        }

        @Override
        public void abort() {
            aborted.countDown();
        }

        @Override
        public void close() {
            openWorkers.decrementAndGet();
        }
    }

    private static List<CopyScheduler.Item<FakeWorker>> items(int n, long bytes, CopyScheduler.Task<FakeWorker> task) {
        List<CopyScheduler.Item<FakeWorker>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new CopyScheduler.Item<>(bytes, task));
        }
        return out;
    }

    /** A copy that blocks until its worker is aborted; counts {@code started} down first. */
    private static CopyScheduler.Task<FakeWorker> blocking(CountDownLatch started) {
        return w -> {
            started.countDown();
            w.block();
        };
    }

    private CompletableFuture<Void> submit(String db, List<CopyScheduler.Item<FakeWorker>> items,
                                           CopyScheduler.Opener<FakeWorker> opener) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            MDC.put("db", db);
            try {
                scheduler.run(items, opener);
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "db-" + db);
        threads.put(db, t);
        t.start();
        return done;
    }

    @Test
    void neverMoreCopiesThanWorkersAcrossDatabasesAndEachCopyLogsItsDatabase() throws Exception {
        scheduler = new CopyScheduler(2, cancelled::get);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        AtomicInteger openWorkers = new AtomicInteger();
        List<String> wrongDatabase = new CopyOnWriteArrayList<>();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (String db : List.of("a", "b", "c")) {
            all.add(submit(db, items(10, 1, w -> {
                peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                if (!db.equals(MDC.get("db"))) {
                    wrongDatabase.add(MDC.get("db"));
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                running.decrementAndGet();
            }), () -> new FakeWorker(openWorkers)));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertThat(peak.get()).isEqualTo(2);
        assertThat(wrongDatabase).isEmpty();
        assertThat(openWorkers.get()).as("connections left open once every database is done").isZero();
    }

    @Test
    void aWorkerKeepsItsConnectionsForTheCopiesOfOneDatabase() throws Exception {
        scheduler = new CopyScheduler(1, cancelled::get);
        AtomicInteger opened = new AtomicInteger();
        AtomicInteger openWorkers = new AtomicInteger();
        scheduler.run(items(20, 1, w -> { }), () -> {
            opened.incrementAndGet();
            return new FakeWorker(openWorkers);
        });
        assertThat(opened.get()).isEqualTo(1);
        assertThat(openWorkers.get()).as("closed before run returns").isZero();
    }

    @Test
    void aFailedCopyFailsOnlyItsDatabaseAbortingItsCopiesInFlight() throws Exception {
        scheduler = new CopyScheduler(2, cancelled::get);
        AtomicInteger openWorkers = new AtomicInteger();
        CountDownLatch blocked = new CountDownLatch(1);
        SQLException broken = new SQLException("copying \"public\".\"t\": value too long");
        AtomicInteger ranAfterFailure = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        List<CopyScheduler.Item<FakeWorker>> bad = new ArrayList<>();
        bad.add(new CopyScheduler.Item<>(100, blocking(blocked))); // in flight when its database fails: aborted
        bad.add(new CopyScheduler.Item<>(50, w -> {
            try {
                assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            failed.set(true);
            throw broken;
        }));
        bad.addAll(items(20, 1, w -> {
            if (failed.get()) {
                ranAfterFailure.incrementAndGet();
            }
        }));
        AtomicInteger goodCopies = new AtomicInteger();
        CompletableFuture<Void> a = submit("a", bad, () -> new FakeWorker(openWorkers));
        CompletableFuture<Void> b = submit("b", items(30, 1, w -> goodCopies.incrementAndGet()),
                () -> new FakeWorker(openWorkers));
        Throwable thrown = catchThrowableOfType(() -> a.get(30, TimeUnit.SECONDS), ExecutionException.class);
        assertThat(thrown.getCause()).as("the failure, unchanged").isSameAs(broken);
        b.get(30, TimeUnit.SECONDS);
        assertThat(goodCopies.get()).isEqualTo(30);
        assertThat(ranAfterFailure.get()).as("copies of the failed database started after its failure").isZero();
        assertThat(openWorkers.get()).isZero();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void anInterruptedOrCancelledDatabaseStopsAtOnceAndFreesTheWorkers(boolean interrupt) throws Exception {
        scheduler = new CopyScheduler(1, cancelled::get);
        AtomicInteger openWorkers = new AtomicInteger();
        CountDownLatch blocked = new CountDownLatch(1);
        CompletableFuture<Void> a = submit("a", items(5, 1, blocking(blocked)), () -> new FakeWorker(openWorkers));
        assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
        if (interrupt) {
            threads.get("a").interrupt();
        } else {
            cancelled.set(true);
        }
        assertThatThrownBy(() -> a.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(interrupt
                ? InterruptedException.class : io.pgmigrate.process.CancelledException.class);
        cancelled.set(false);
        // the one worker is free again for another database, and has let go of the stopped one's connections
        AtomicInteger copied = new AtomicInteger();
        scheduler.run(items(3, 1, w -> copied.incrementAndGet()), () -> new FakeWorker(openWorkers));
        assertThat(copied.get()).isEqualTo(3);
        assertThat(openWorkers.get()).isZero();
    }
}
