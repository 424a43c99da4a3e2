package io.pgmigrate.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.pgmigrate.MigrationException;
import io.pgmigrate.state.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tables of one database that stream mode has copied, for a resumed run: one line per table, appended once the
 * table's COPY has committed on the target, each line the table's key as a JSON string ({@code "\"s\".\"t\""}).
 * The large objects' batches have lines of their own ({@link LargeObjectCopy}). A line is appended with a single
 * write and no fsync (a lost line only means the table is copied again), and only whole lines count: a line cut
 * short by a crash, or one that does not parse, is ignored, and the next line starts on a line of its own. So the
 * journal may forget a copied table, never claim one that is not copied.
 */
public final class CopyJournal {
    private static final Logger log = LoggerFactory.getLogger(CopyJournal.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** One JSON string and nothing after it: a torn line glued to the next one is unreadable, not a shorter key. */
    private static final ObjectReader KEY = JSON.readerFor(String.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Path file;

    public CopyJournal(Path file) {
        this.file = file;
    }

    /** The keys of the tables copied so far. */
    public Set<String> read() {
        Set<String> out = new LinkedHashSet<>();
        if (!Files.exists(file)) {
            return out;
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw MigrationException.state("cannot read " + file + " (delete it to copy every table again): "
                    + e.getMessage(), e);
        }
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            return out;
        }
        for (String line : text.substring(0, end).split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            try {
                out.add(KEY.readValue(line));
            } catch (JsonProcessingException e) {
                log.warn("ignoring an unreadable line of {}: its table is copied again", file);
            }
        }
        return out;
    }

    /** Records one table as copied, on a line of its own even after a line a crash cut short. */
    public synchronized void add(String key) {
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            String line = JSON.writeValueAsString(key) + "\n";
            long size = out.size();
            if (size > 0) {
                ByteBuffer last = ByteBuffer.allocate(1);
                out.read(last, size - 1);
                if (last.get(0) != '\n') {
                    line = "\n" + line;
                }
            }
            ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                size += out.write(bytes, size);
            }
        } catch (IOException e) {
            throw MigrationException.state("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Forgets these tables, so the next run copies them again: the journal is rewritten whole (atomically) with the
     * other lines it holds.
     */
    public synchronized void forget(Set<String> keys) {
        StringBuilder kept = new StringBuilder();
        for (String key : read()) {
            if (!keys.contains(key)) {
                try {
                    kept.append(JSON.writeValueAsString(key)).append('\n');
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        AtomicFiles.write(file, kept.toString().getBytes(StandardCharsets.UTF_8));
    }

    public void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw MigrationException.state("cannot delete " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }
}
