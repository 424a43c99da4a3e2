package io.pgmigrate.state;

import io.pgmigrate.MigrationException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Files that are either wholly there or not at all: temp file, fsync, atomic rename, fsync of the folder. A temp file
 * is named {@code .<name>.tmp} ({@link #isTemp}): no state file starts with a dot, so a write cut short (SIGKILL)
 * leaves nothing a run could take for state, and the next run deletes it.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Whether {@code fileName} is one of the temp names this tool writes before an atomic move. */
    public static boolean isTemp(String fileName) {
        return fileName.startsWith(".") && fileName.endsWith(".tmp");
    }

    public static void write(Path file, byte[] content) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(content));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(dir);
        } catch (IOException e) {
            throw MigrationException.state("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public static void delete(Path file) {
        try {
            if (Files.deleteIfExists(file)) {
                syncDirectory(file.toAbsolutePath().getParent());
            }
        } catch (IOException e) {
            throw MigrationException.state("cannot delete " + file + ": " + e.getMessage(), e);
        }
    }

    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
