package io.pgmigrate.it;

import static io.pgmigrate.it.DelayedTablesIT.exec;
import static io.pgmigrate.it.FullMigrationIT.counts;
import static io.pgmigrate.it.FullMigrationIT.one;
import static io.pgmigrate.it.StreamModeIT.toolLog;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgmigrate.embedded.EmbeddedServer;
import io.pgmigrate.testbed.Migration;
import io.pgmigrate.testbed.TestServers;
import io.pgmigrate.testbed.WrappedPgBin;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TRUNCATE on the source after the run's snapshot, before the table's copy: TRUNCATE is not MVCC-safe, so the copy
 * would read the snapshot with nothing in it, and the source count taken from that copy would agree. The copy must
 * fail instead, and a later run copy the table from a new snapshot, whatever ran in between.
 */
class StreamSourceRewriteIT {
    private static final String BIG = "public.big";
    private static final String SMALL = "\"Odd \"\"Small\"\"\".\"Tä ble\"";

    @TempDir
    Path work;

    private final EmbeddedServer source = TestServers.get(TestServers.SOURCE_12);
    private final EmbeddedServer target = TestServers.get(TestServers.TARGET_17);

    @Test
    void aTableTruncatedOnTheSourceAfterTheSnapshotFailsItsCopyInsteadOfArrivingEmpty() throws Exception {
        String db = "stm_rewrite";
        Migration first = migration(db, "stream");
        assertThat(runTruncatingSmallDuringBigsCopy(db, first)).isEqualTo(6);
        assertThat(toolLog(first.migrateState())).contains("copying " + SMALL
                + ": the table was emptied or rewritten on the source after the run's snapshot");
        assertThat(one(target, db, "SELECT count(*)::text FROM " + SMALL)).isEqualTo("0");

        // the next run copies it again, from a new snapshot: what the source holds now
        exec(source, db, "INSERT INTO " + SMALL + " SELECT generate_series(1, 7)");
        assertMigratedWhole(migration(db, "stream"), db);
        assertThat(one(target, db, "SELECT count(*)::text FROM " + SMALL)).isEqualTo("7");
    }

    /**
     * Stream mode stops with the big table copied (its journal says so); a dump-mode run then re-creates the database
     * and fails in pg_restore; the next stream-mode run must copy every table into that new database, the big one
     * too, not trust the old journal.
     */
    @Test
    void aStreamRunAfterAFailedDumpModeRunCopiesEveryTableAgain() throws Exception {
        String db = "stm_switch";
        assertThat(runTruncatingSmallDuringBigsCopy(db, migration(db, "stream"))).isEqualTo(6);
        assertThat(one(target, db, "SELECT count(*)::text FROM " + BIG)).isEqualTo("300000");

        assertThat(migration(db, "dump").with("--pg-bin", failingPgRestoreBin().toString()).run()).isEqualTo(6);
        assertThat(one(target, db, "SELECT count(*)::text FROM pg_class WHERE relname = 'big'"))
                .as("dump mode re-created the database").isEqualTo("0");

        assertMigratedWhole(migration(db, "stream"), db);
    }

    /**
     * Stream mode stops with the big table copied; a dump-mode run on the same state dumps the database itself (the
     * stream run's schema dump is not a dump it can restore) and restores it whole.
     */
    @Test
    void aDumpModeRunAfterAFailedStreamRunDumpsAndRestoresTheDatabaseWhole() throws Exception {
        String db = "stm_to_dump";
        assertThat(runTruncatingSmallDuringBigsCopy(db, migration(db, "stream"))).isEqualTo(6);

        assertMigratedWhole(migration(db, "dump"), db);
    }

    /**
     * A database a stream-mode run finished is done for a dump-mode run on the same state too: it used to be dumped
     * whole again (pg_dump -Fd of all its data, for a restore that was then skipped), since only dump mode's own
     * marker said its dump was not needed.
     */
    @Test
    void aDumpModeRunAfterAFinishedStreamRunDumpsNothingAgain() throws Exception {
        String db = "stm_done_dump";
        exec(source, "postgres", "CREATE DATABASE " + db);
        exec(source, db, "CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t SELECT generate_series(1, 100)");
        assertThat(migration(db, "stream").run()).isEqualTo(0);

        assertThat(migration(db, "dump").run()).isEqualTo(0);
        assertThat(work.resolve("dumps").resolve(db)).as("dump mode's dump of the database").doesNotExist();
        assertThat(counts(target, db)).isEqualTo(counts(source, db));
    }

    private Migration migration(String db, String mode) {
        return new Migration(source, target, work).with("--include-db", db, "--mode", mode);
    }

    /** The run succeeds and every table holds what the source holds now, the big one too. */
    private void assertMigratedWhole(Migration migration, String db) throws Exception {
        assertThat(migration.run()).isEqualTo(0);
        assertThat(counts(target, db)).isEqualTo(counts(source, db));
        assertThat(one(target, db, "SELECT count(*)::text FROM " + BIG)).isEqualTo("300000");
    }

    /**
     * A run with one copy worker (the big table first, the small one only after it) during which the small table is
     * truncated on the source, once the big table's copy has begun: after the snapshot, before the small one's copy.
     */
    private int runTruncatingSmallDuringBigsCopy(String db, Migration migration) throws Exception {
        exec(source, "postgres", "CREATE DATABASE " + db);
        exec(source, db,
                "CREATE TABLE " + BIG + " (id bigint PRIMARY KEY, v text)",
                "INSERT INTO " + BIG + " SELECT g, repeat('v', 200) FROM generate_series(1, 300000) g",
                "CREATE SCHEMA \"Odd \"\"Small\"\"\"",
                "CREATE TABLE " + SMALL + " (id int PRIMARY KEY)",
                "INSERT INTO " + SMALL + " SELECT generate_series(1, 1000)");
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(migration.with("--table-jobs", "1")::run);
        String copying = "SELECT count(*)::text FROM pg_stat_activity WHERE datname = '" + db + "' AND query LIKE "
                + "'COPY \"public\".\"big\"%TO STDOUT%'";
        for (int i = 0; i < 3000 && "0".equals(one(source, "postgres", copying)) && !run.isDone(); i++) {
            Thread.sleep(10);
        }
        assertThat(run).as("the run reached the big table's copy").isNotDone();
        exec(source, db, "TRUNCATE " + SMALL);
        return run.get(5, TimeUnit.MINUTES);
    }

    /** A --pg-bin whose pg_restore lists archives but fails every restore into a database. */
    private Path failingPgRestoreBin() throws Exception {
        return WrappedPgBin.create(work.resolve("failing-bin"), "pg_restore", real -> List.of(
                "case \" $* \" in *\" --dbname=\"*) echo 'pg_restore: error: failing on purpose' >&2; exit 1 ;; esac",
                "exec '" + real + "' \"$@\""));
    }
}
