package io.pgmigrate.process;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The small JSON file that lists the live child processes of a run, so that the next run can stop what a crashed
 * run (SIGKILL of the JVM) left running. Written atomically: temp file, fsync, atomic move. Absent when no child is
 * running.
 */
final class ChildPidFile {

    /** One child: its pid, its start instant (ISO-8601, tells it apart from a later process with the same pid). */
    record Entry(long pid, String startedAt, String tool) { }

    record Content(List<Entry> children) { }

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private ChildPidFile() {
    }

    static void write(Path file, List<Entry> children) throws IOException {
        if (children.isEmpty()) {
            Files.deleteIfExists(file);
            return;
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // a name AtomicFiles.isTemp knows: the next run deletes one a SIGKILL left behind
        Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            Files.write(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(new Content(children)));
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The entries, or an empty list if the file does not exist. */
    static List<Entry> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        Content content = JSON.readValue(file.toFile(), Content.class);
        return content.children() == null ? List.of() : content.children();
    }
}
