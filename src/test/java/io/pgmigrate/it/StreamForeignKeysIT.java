package io.pgmigrate.it;

import static io.pgmigrate.it.DelayedTablesIT.constraints;
import static io.pgmigrate.it.DelayedTablesIT.exec;
import static io.pgmigrate.it.FullMigrationIT.counts;
import static io.pgmigrate.it.FullMigrationIT.one;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmigrate.embedded.EmbeddedServer;
import io.pgmigrate.stream.CopyJournal;
import io.pgmigrate.testbed.Launcher;
import io.pgmigrate.testbed.Migration;
import io.pgmigrate.testbed.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stream mode adds a foreign key as soon as both of its tables are finished, not in the post-data restore after
 * every table: deferrable, self-referencing, multi-column, NOT VALID (with rows that break it) and commented keys
 * between quoted names. A key whose referenced index pg_restore builds (here: a REPLICA IDENTITY index) stays with
 * pg_restore. Either way the target has exactly the source's constraints, and they still check.
 */
class StreamForeignKeysIT {
    @TempDir
    Path work;

    private final EmbeddedServer source = TestServers.get(TestServers.SOURCE_12);
    private final EmbeddedServer target = TestServers.get(TestServers.TARGET_17);

    @Test
    void foreignKeysAreAddedAsSoonAsBothTablesAreFinished() throws Exception {
        String db = "stm_fk";
        String shop = "\"Shop \"\"A\"\"\"";
        exec(source, "postgres", "CREATE DATABASE " + db);
        exec(source, db,
                "CREATE SCHEMA " + shop,
                "CREATE TABLE " + shop + ".\"Customers\" (id int PRIMARY KEY, name text)",
                "INSERT INTO " + shop + ".\"Customers\" SELECT g, 'c' || g FROM generate_series(1, 1000) g",
                "CREATE TABLE " + shop + ".\"Orders\" (id bigint PRIMARY KEY, "
                        + "customer int NOT NULL REFERENCES " + shop + ".\"Customers\" DEFERRABLE INITIALLY DEFERRED, "
                        + "parent bigint REFERENCES " + shop + ".\"Orders\")",
                "INSERT INTO " + shop + ".\"Orders\" SELECT g, g % 1000 + 1, NULLIF(g - 1, 0) "
                        + "FROM generate_series(1, 20000) g",
                "COMMENT ON CONSTRAINT \"Orders_customer_fkey\" ON " + shop + ".\"Orders\" IS 'each order has one'",
                "CREATE TABLE items (order_id bigint, n int, PRIMARY KEY (order_id, n))",
                "INSERT INTO items SELECT g, 1 FROM generate_series(1, 20000) g",
                "CREATE TABLE item_notes (order_id bigint, n int, note text, "
                        + "FOREIGN KEY (order_id, n) REFERENCES items ON DELETE CASCADE)",
                "INSERT INTO item_notes SELECT g, 1, 'note' FROM generate_series(1, 5000) g",
                "CREATE TABLE legacy (id int, customer int)",
                "INSERT INTO legacy VALUES (1, 1), (2, 99999)",
                "ALTER TABLE legacy ADD CONSTRAINT \"legacy customer\" FOREIGN KEY (customer) REFERENCES "
                        + shop + ".\"Customers\" NOT VALID",
                "CREATE TABLE ident (id int PRIMARY KEY)",
                "ALTER TABLE ident REPLICA IDENTITY USING INDEX ident_pkey",
                "INSERT INTO ident SELECT generate_series(1, 100)",
                "CREATE TABLE uses_ident (ident_id int REFERENCES ident)",
                "INSERT INTO uses_ident SELECT generate_series(1, 100)");
        Migration migration = new Migration(source, target, work).with("--include-db", db, "--mode", "stream",
                "--log-level", "debug");
        assertThat(migration.run()).isEqualTo(0);

        assertThat(constraints(target, db)).isEqualTo(constraints(source, db));
        String log = StreamModeIT.toolLog(migration.migrateState());
        assertThat(log).contains("added foreign key Orders_customer_fkey of ", "added foreign key Orders_parent_fkey of ",
                        "added foreign key item_notes_order_id_n_fkey of ", "added foreign key legacy customer of ")
                .doesNotContain("added foreign key uses_ident_ident_id_fkey")
                .containsPattern("built, 7 table\\(s\\) analyzed and 4 foreign key\\(s\\) added as their data landed");
        // left out of the post-data restore, except the one whose referenced index pg_restore builds
        String list = Files.readString(migration.migrateState().resolve(db + ".pg_restore.post-data.list"));
        assertThat(list).containsPattern("(?m)^;\\d+; 2606 \\d+ FK CONSTRAINT Shop \"A\" Orders Orders_customer_fkey ")
                .containsPattern("(?m)^;\\d+; 2606 \\d+ FK CONSTRAINT Shop \"A\" Orders Orders_parent_fkey ")
                .containsPattern("(?m)^;\\d+; 2606 \\d+ FK CONSTRAINT public item_notes item_notes_order_id_n_fkey ")
                .containsPattern("(?m)^;\\d+; 2606 \\d+ FK CONSTRAINT public legacy legacy customer ")
                .containsPattern("(?m)^\\d+; 2606 \\d+ FK CONSTRAINT public uses_ident uses_ident_ident_id_fkey ");
        assertThat(one(target, db, "SELECT obj_description(oid, 'pg_constraint') FROM pg_constraint "
                + "WHERE conname = 'Orders_customer_fkey'")).isEqualTo("each order has one");
        assertThat(one(target, db, "SELECT convalidated::text FROM pg_constraint WHERE conname = 'legacy customer'"))
                .isEqualTo("false");
        // they still check: a deferred one at commit, the cascade deletes
        assertThatThrownBy(() -> exec(target, db, "BEGIN; INSERT INTO " + shop + ".\"Orders\" VALUES (30000, 5000); "
                + "COMMIT")).isInstanceOf(SQLException.class).hasMessageContaining("Orders_customer_fkey");
        exec(target, db, "DELETE FROM items WHERE order_id <= 10");
        assertThat(one(target, db, "SELECT count(*)::text FROM item_notes")).isEqualTo("4990");
    }

    /**
     * The copy journal is appended without fsync, so a crash of the tool's machine can lose the line of a table whose
     * copy committed, after its foreign key was added. The next run copies that table again: it drops the key first
     * (TRUNCATE would refuse a referenced table) and adds it again, checked, once both tables are in. A key between
     * two tables copied before the crash stays; its comment, committed apart from it, is given again (the crash may
     * have come in between).
     */
    @Test
    void aTableWhoseJournalLineWasLostIsCopiedAgainAfterItsForeignKeyWasAdded() throws Exception {
        String db = "stm_fk_lost";
        Path state = killedOnceTheKeysAreAdded(db);
        // and the crash came between the other key's commit and its comment's
        exec(target, db, "COMMENT ON CONSTRAINT tag_use_tag_fkey ON tag_use IS NULL");

        try (Launcher second = Launcher.migrate(state.getParent(), source, target, KEY_ARGS.apply(db))) {
            assertThat(second.waitFor(Duration.ofMinutes(3))).as(second.outputTail()).isZero();
            assertThat(second.stderr()).contains("dropping foreign key child → Parent of \"public\".\"child\"");
        }
        assertThat(counts(target, db)).isEqualTo(counts(source, db));
        assertThat(constraints(target, db)).isEqualTo(constraints(source, db));
        assertThat(one(target, db, "SELECT convalidated::text FROM pg_constraint WHERE conname = 'child → Parent'"))
                .isEqualTo("true");
        assertThat(one(target, db, TAG_KEY_COMMENT)).isEqualTo("uses of a tag");
    }

    /**
     * A resumed run reads the tables it copies at a new snapshot; those an earlier run copied stay as they were
     * read then. When the source changed in between, a key between the two breaks: the run fails, and forgets the
     * tables the tool's keys tie together, so the next run copies all of them again, from one snapshot.
     */
    @Test
    void aKeyBrokenAcrossTwoSnapshotsHasItsTablesCopiedAgainByTheNextRun() throws Exception {
        String db = "stm_fk_snapshots";
        Path state = killedOnceTheKeysAreAdded(db);
        // written on the source between the two runs: a parent goes, with its children and their notes
        exec(source, db, "DELETE FROM child_note WHERE child IN (SELECT id FROM child WHERE parent = 1)",
                "DELETE FROM child WHERE parent = 1", "DELETE FROM \"Parent\" WHERE id = 1");

        try (Launcher second = Launcher.migrate(state.getParent(), source, target, KEY_ARGS.apply(db))) {
            assertThat(second.waitFor(Duration.ofMinutes(3))).as(second.outputTail()).isEqualTo(6);
            assertThat(second.stderr()).contains("its tables were copied at different snapshots",
                    "the 1 other table(s) foreign keys tie to them");
        }
        assertThat(new CopyJournal(state.resolve(db + ".copied")).read())
                .doesNotContain("\"public\".\"Parent\"", "\"public\".\"child\"", "\"public\".\"child_note\"")
                .contains("\"public\".\"tag\"", "\"public\".\"tag_use\"");

        try (Launcher third = Launcher.migrate(state.getParent(), source, target, KEY_ARGS.apply(db))) {
            assertThat(third.waitFor(Duration.ofMinutes(3))).as(third.outputTail()).isZero();
        }
        assertThat(counts(target, db)).isEqualTo(counts(source, db)).containsEntry("public.child", 4995L);
        assertThat(constraints(target, db)).isEqualTo(constraints(source, db));
    }

    private static final java.util.function.Function<String, List<String>> KEY_ARGS = db -> List.of("--include-db",
            db, "--mode", "stream", "--table-jobs", "2", "--split-tables-larger-than", "0");
    private static final String TAG_KEY_COMMENT = "SELECT obj_description(oid, 'pg_constraint') FROM pg_constraint "
            + "WHERE conname = 'tag_use_tag_fkey'";

    /**
     * A run SIGKILLed once the small tables are copied and their keys added, while the big one is still being
     * copied; then the parent's journal line is taken out, as a crash of the tool's machine may lose it (it is not
     * synced). Returns the run's state folder.
     */
    private Path killedOnceTheKeysAreAdded(String db) throws Exception {
        exec(source, "postgres", "CREATE DATABASE " + db);
        exec(source, db,
                "CREATE TABLE big (id bigint PRIMARY KEY, v text NOT NULL)",
                // about 70 MB: seconds of copying, while the other worker copies the rest in well under one
                "INSERT INTO big SELECT g, repeat(md5(g::text), 3) FROM generate_series(1, 500000) g",
                "CREATE TABLE \"Parent\" (id int PRIMARY KEY)",
                "INSERT INTO \"Parent\" SELECT generate_series(1, 1000)",
                "CREATE TABLE child (id int PRIMARY KEY, parent int NOT NULL, "
                        + "CONSTRAINT \"child → Parent\" FOREIGN KEY (parent) REFERENCES \"Parent\")",
                "INSERT INTO child SELECT g, g % 1000 + 1 FROM generate_series(1, 5000) g",
                "CREATE TABLE child_note (child int REFERENCES child, note text)",
                "INSERT INTO child_note SELECT g, 'n' FROM generate_series(1, 3000) g",
                "CREATE TABLE tag (id int PRIMARY KEY)",
                "INSERT INTO tag SELECT generate_series(1, 50)",
                "CREATE TABLE tag_use (tag int REFERENCES tag, what text)",
                "INSERT INTO tag_use SELECT g % 50 + 1, 'w' FROM generate_series(1, 2000) g",
                "COMMENT ON CONSTRAINT tag_use_tag_fkey ON tag_use IS 'uses of a tag'");
        Path home = work.resolve("home");
        Path state = home.resolve("pg_migrate_state");
        CopyJournal journal = new CopyJournal(state.resolve(db + ".copied"));
        String keysOnTarget = "SELECT count(*)::text FROM pg_constraint "
                + "WHERE conname IN ('child → Parent', 'child_note_child_fkey', 'tag_use_tag_fkey')";
        try (Launcher first = Launcher.migrate(home, source, target, KEY_ARGS.apply(db))) {
            // the other worker copies the small tables, and their keys are added, while big is being copied
            first.waitUntil(Duration.ofMinutes(3), "the foreign keys added on the target",
                    () -> Files.exists(state.resolve(db + ".pre_data")) && "3".equals(one(target, db, keysOnTarget))
                            && one(target, db, TAG_KEY_COMMENT) != null);
            first.signal("KILL");
            assertThat(first.waitFor(Duration.ofSeconds(10))).isEqualTo(128 + 9);
        }
        assertThat(state.resolve(db + ".post_data_restoring")).as("killed during the copy").doesNotExist();
        assertThat(journal.read()).contains("\"public\".\"Parent\"", "\"public\".\"child\"",
                        "\"public\".\"child_note\"", "\"public\".\"tag\"", "\"public\".\"tag_use\"")
                .doesNotContain("\"public\".\"big\"");
        List<String> kept = Files.readAllLines(journal.file()).stream()
                .filter(line -> !line.contains("Parent")).toList();
        Files.write(journal.file(), kept);
        return state;
    }
}
