package io.pgmigrate.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CopyJournalTest {
    @TempDir
    Path dir;

    @Test
    void remembersTablesWithAnyNameAcrossInstances() {
        CopyJournal journal = new CopyJournal(dir.resolve("db.copied"));
        assertThat(journal.read()).isEmpty();
        journal.add("\"public\".\"a\"");
        journal.add("\"Sch \"\"1\"\".x\".\"Tab\nle é\"");
        assertThat(new CopyJournal(dir.resolve("db.copied")).read())
                .containsExactly("\"public\".\"a\"", "\"Sch \"\"1\"\".x\".\"Tab\nle é\"");
        journal.delete();
        assertThat(journal.read()).isEmpty();
    }

    @Test
    void aLineCutShortOrUnreadableIsIgnored() throws Exception {
        Path file = dir.resolve("db.copied");
        CopyJournal journal = new CopyJournal(file);
        journal.add("\"public\".\"a\"");
        Files.write(file, "\u0000\u0000\n\"\\\"public\\\".\\\"b".getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.APPEND);
        assertThat(journal.read()).containsExactly("\"public\".\"a\"");
    }
}
