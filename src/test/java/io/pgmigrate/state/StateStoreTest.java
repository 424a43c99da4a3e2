package io.pgmigrate.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmigrate.ExitCode;
import io.pgmigrate.MigrationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {
    @TempDir
    Path dir;

    private StateStore store() {
        return new StateStore(dir.resolve("pg_migrate_state"), dir.resolve("pg_verify_state"));
    }

    @Test
    void markersUseTheReferenceNamesForPlainDatabaseNames() {
        StateStore s = store();
        s.mark("shop", Marker.DUMPED);
        s.mark("shop", Marker.VERIFY);
        s.markGlobal(StateStore.GLOBALS_DONE);
        assertThat(dir.resolve("pg_migrate_state/shop.dumped")).exists();
        assertThat(dir.resolve("pg_verify_state/shop.verify")).exists();
        assertThat(dir.resolve("pg_migrate_state/globals.done")).exists();
        assertThat(s.has("shop", Marker.DUMPED)).isTrue();
        assertThat(s.has("shop", Marker.DONE)).isFalse();
        s.clear("shop", Marker.DUMPED);
        assertThat(s.has("shop", Marker.DUMPED)).isFalse();
    }

    /** A marker that says a change on the target is made waits for the target's WAL to be on disk, and only those. */
    @Test
    void aCreatedMarkerHoldsTheOidOfTheDatabaseOnceCreated() {
        StateStore s = store();
        assertThat(s.createdOid("shop")).isEmpty();
        s.mark("shop", Marker.CREATED); // before CREATE DATABASE, as an older version's marker stays
        assertThat(s.createdOid("shop")).isEmpty();
        s.recordCreatedOid("shop", 4_000_000_001L);
        assertThat(s.has("shop", Marker.CREATED)).isTrue();
        assertThat(s.createdOid("shop")).hasValue(4_000_000_001L);
    }

    @Test
    void markersOfTargetChangesWaitForTheTargetsWal() {
        List<Set<String>> flushes = new ArrayList<>(); // the migrate folder's files at each flush
        Path migrate = dir.resolve("pg_migrate_state");
        StateStore s = new StateStore(migrate, dir.resolve("pg_verify_state"),
                () -> flushes.add(Set.of(migrate.toFile().list())));
        for (Marker m : Marker.values()) {
            int before = flushes.size();
            s.mark("shop", m);
            assertThat(flushes).as(m.toString()).hasSize(m.recordsTargetChange() ? before + 1 : before);
            if (m.recordsTargetChange()) {
                assertThat(flushes.get(before)).as("flushed before " + m).doesNotContain("shop." + m.suffix());
            }
        }
        assertThat(Arrays.stream(Marker.values()).filter(Marker::recordsTargetChange))
                .containsExactlyInAnyOrder(Marker.PROPERTIES, Marker.PRE_DATA, Marker.DONE, Marker.ANALYZED,
                        Marker.DELAYED_INDEXES_DROPPED, Marker.DELAYED_DONE, Marker.DELAYED_INDEXES_RECREATED,
                        Marker.DELAYED_MATVIEWS_REFRESHED);
        s.markGlobal(StateStore.GLOBALS_DONE);
        assertThat(flushes).hasSize(9);
        assertThat(flushes.get(8)).doesNotContain(StateStore.GLOBALS_DONE);
    }

    @Test
    void theDatabasesOfAMarkerAreListedByTheirNames() {
        StateStore s = store();
        for (String db : java.util.List.of("Ünï \"q\"", "a.created", "plain")) {
            s.mark(db, Marker.CREATED);
        }
        s.mark("other", Marker.DONE);
        assertThat(s.databasesMarked(Marker.CREATED)).containsExactlyInAnyOrder("Ünï \"q\"", "a.created", "plain");
    }

    @Test
    void awkwardNamesCannotEscapeTheFolderOrCollide() {
        assertThat(StateNames.fileSafe("../etc/x")).doesNotContain("/").doesNotContain("..");
        assertThat(StateNames.fileSafe("a.done")).isNotEqualTo("a") .doesNotContain(".");
        assertThat(StateNames.fileSafe("Ünï \"q\"")).isEqualTo("%C3%9Cn%C3%AF%20%22q%22");
        StateStore s = store();
        s.mark("../evil", Marker.DONE);
        try (var files = Files.list(dir.resolve("pg_migrate_state"))) {
            assertThat(files.map(p -> p.getFileName().toString())).contains("%2E%2E%2Fevil.done");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void countsRoundTripInTheReferenceFiles() {
        StateStore s = store();
        s.saveCounts("shop", "src_counts", Map.of("\"public\".\"orders\"", 42L));
        assertThat(dir.resolve("pg_verify_state/shop.src_counts.json")).exists();
        assertThat(s.counts("shop", "src_counts")).contains(Map.of("\"public\".\"orders\"", 42L));
        assertThat(s.counts("shop", "dst_counts")).isEmpty();
    }

    @Test
    void checkingAFreshStateFolderDoesNotClaimIt() {
        StateStore s = store();
        var source = new RunIdentity.Server("127.0.0.1", 5432, "111");
        RunIdentity.requireSame(s, new RunIdentity(source, new RunIdentity.Server("127.0.0.1", 5433, "222")));
        RunIdentity.requireSame(s, new RunIdentity(source, new RunIdentity.Server("127.0.0.1", 5434, "333")));
        assertThat(s.readJson(RunIdentity.FILE, RunIdentity.class)).isEmpty();
    }

    @Test
    void aStateFolderOfAnotherTargetIsRefused() {
        StateStore s = store();
        var source = new RunIdentity.Server("127.0.0.1", 5432, "111");
        RunIdentity.claim(s, new RunIdentity(source, new RunIdentity.Server("127.0.0.1", 5433, "222")));
        RunIdentity.claim(s, new RunIdentity(source, new RunIdentity.Server("127.0.0.1", 5433, "222")));
        assertThatThrownBy(() -> RunIdentity.claim(s,
                new RunIdentity(source, new RunIdentity.Server("127.0.0.1", 5433, "333"))))
                .isInstanceOf(MigrationException.class)
                .satisfies(e -> assertThat(((MigrationException) e).exitCode()).isEqualTo(ExitCode.STATE))
                .hasMessageContaining("target").hasMessageContaining("333").hasMessageContaining("222");
    }

    @Test
    void twoRunsCannotHoldTheLock() {
        StateStore s = store();
        try (RunLock first = RunLock.acquire(s.migrateDir())) {
            assertThatThrownBy(() -> RunLock.acquire(s.migrateDir()))
                    .isInstanceOf(MigrationException.class).hasMessageContaining("another pg-migrate run");
        }
        RunLock.acquire(s.migrateDir()).close();
    }

    /** What a SIGKILL in the middle of an atomic write leaves: never state, and deleted by the next run. */
    @Test
    void leftoverTempFilesAreNotStateAndAreDeletedButNothingElse() throws Exception {
        StateStore s = store();
        Path migrate = dir.resolve("pg_migrate_state");
        Path verify = dir.resolve("pg_verify_state");
        List<Path> ours = List.of(migrate.resolve(".shop.done.tmp"), migrate.resolve(".children.json81234.tmp"),
                verify.resolve(".shop.verify.tmp"), verify.resolve(".shop.src_counts.json.tmp"));
        for (Path p : ours) {
            Files.writeString(p, "{\"half\":");
        }
        List<Path> theirs = List.of(migrate.resolve("notes.tmp"), migrate.resolve(".keep"),
                Files.createDirectories(migrate.resolve(".folder.tmp")), dir.resolve(".other.done.tmp"));
        for (Path p : theirs) {
            if (!Files.isDirectory(p)) {
                Files.writeString(p, "x");
            }
        }
        assertThat(s.has("shop", Marker.DONE)).isFalse();
        assertThat(s.databasesMarked(Marker.DONE)).isEmpty();
        assertThat(s.counts("shop", "src_counts")).isEmpty();

        s.removeLeftoverTempFiles();
        assertThat(ours).allSatisfy(p -> assertThat(p).doesNotExist());
        assertThat(theirs).allSatisfy(p -> assertThat(p).exists());
    }
}
