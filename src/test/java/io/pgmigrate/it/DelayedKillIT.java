package io.pgmigrate.it;

import static io.pgmigrate.it.DelayedTablesIT.exec;
import static io.pgmigrate.it.DelayedTablesIT.indexDefinitions;
import static io.pgmigrate.it.FullMigrationIT.counts;
import static io.pgmigrate.it.FullMigrationIT.one;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgmigrate.embedded.EmbeddedServer;
import io.pgmigrate.testbed.CliRun;
import io.pgmigrate.testbed.Launcher;
import io.pgmigrate.testbed.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of the tool after the delayed tables' indexes were dropped and before they were re-created, in dump mode
 * (the delayed phase is the same code in both modes; stream mode's delayed tables are in StreamModeIT).
 */
class DelayedKillIT {
    @TempDir
    Path home;

    @Test
    void theNextRunRecreatesEveryDroppedIndex() throws Exception {
        EmbeddedServer source = TestServers.get(TestServers.SOURCE_12);
        EmbeddedServer target = TestServers.get(TestServers.TARGET_17);
        String db = "dlyk_db";
        // loading 100,000 rows and rebuilding five indexes takes seconds: the kill lands in between
        DelayedTablesIT.createEventsDatabase(source, db, 100_000);
        List<String> args = List.of("--from-host", source.host(), "--from-port", Integer.toString(source.port()),
                "--to-host", target.host(), "--to-port", Integer.toString(target.port()),
                "--include-db", db, "--delay-table-data", db + ".events", "--mode", "dump",
                "--dump-jobs", "2", "--restore-jobs", "2", "-p", "2", "--verify-concurrency", "4");
        Path state = home.resolve("pg_migrate_state");
        Path dropped = state.resolve(db + ".delayed_indexes_dropped");
        Path recreated = state.resolve(db + ".delayed_indexes_recreated");

        try (Launcher run = cli(source, target).args(args).start()) {
            run.waitUntil(Duration.ofMinutes(2), "the delayed phase dropped the indexes", () -> Files.exists(dropped));
            // SIGKILL to the JVM alone, no clean-up of any kind: its children live on as orphans for the next run
            ProcessHandle.of(run.pid()).ifPresent(ProcessHandle::destroyForcibly);
            run.waitFor(Duration.ofSeconds(30));
        }
        assertThat(recreated).as("killed before the indexes were re-created").doesNotExist();
        assertThat(indexDefinitions(target, db)).as("indexes missing on the target after the kill")
                .hasSizeLessThan(indexDefinitions(source, db).size());
        assertThat(one(target, "postgres", "SHOW synchronous_commit")).as("the crashed run left its settings")
                .isEqualTo("off");

        CliRun.Result again = cli(source, target).args(args).run();
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(0);
        assertThat(indexDefinitions(target, db)).isEqualTo(indexDefinitions(source, db));
        assertThat(counts(target, db)).isEqualTo(counts(source, db));
        assertThat(recreated).exists();
        assertThat(one(target, "postgres", "SHOW synchronous_commit")).isEqualTo("on");
        assertThat(again.stdout()).contains("earlier"); // the regular phase was not redone
        exec(target, db, "SELECT 1"); // still reachable, no lingering orphan holding it
    }

    private CliRun cli(EmbeddedServer source, EmbeddedServer target) {
        return new CliRun(home).env("PGMIGRATE_FROM_PASS", source.password())
                .env("PGMIGRATE_TO_PASS", target.password());
    }
}
