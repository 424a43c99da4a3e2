package io.pgmigrate.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    void forgottenTablesAreCopiedAgainTheOthersStay() {
        CopyJournal journal = new CopyJournal(dir.resolve("db.copied"));
        for (String key : new String[] {"\"s\".\"a\"", "\"s\".\"a\"\"b\"", "\"Ünï\".\"c d\"", "large objects 1-200"}) {
            journal.add(key);
        }
        journal.forget(java.util.Set.of("\"s\".\"a\"", "\"Ünï\".\"c d\""));
        assertThat(new CopyJournal(dir.resolve("db.copied")).read())
                .containsExactly("\"s\".\"a\"\"b\"", "large objects 1-200");
        journal.add("\"s\".\"e\"");
        assertThat(journal.read()).containsExactly("\"s\".\"a\"\"b\"", "large objects 1-200", "\"s\".\"e\"");
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

    /**
     * A crash cut the line of table {@code "a""b"} just after {@code "a"}; the next run appends the line of another
     * table. The torn line must not read as table {@code "a"} (which may not be copied at all), nor swallow the next.
     */
    @Test
    void aLineCutShortIsNotReadAsAnotherTableWhenTheNextRunAppends() throws Exception {
        Path file = dir.resolve("db.copied");
        CopyJournal journal = new CopyJournal(file);
        String torn = new ObjectMapper().writeValueAsString("\"s\".\"a\"\"b\"");
        Files.writeString(file, torn.substring(0, torn.indexOf("\\\"\\\"b") + 2), StandardCharsets.UTF_8);
        journal.add("\"s\".\"c\"");
        assertThat(journal.read()).containsExactly("\"s\".\"c\"");
    }
}
