package io.pgmigrate.pipeline;

import io.pgmigrate.MigrationException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The folder of the dumps and of stream mode's schema archives (--dump-root). */
final class DumpRoot {
    private DumpRoot() {
    }

    /** Creates the folder and its parents where missing. */
    static void create(Path root) {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw MigrationException.environment("cannot create the dump folder " + root + ": " + reason(e)
                    + "; choose another with --dump-root", e);
        }
    }

    /** Creates the folder and writes a file in it (removed at once): among the checks, before any change. */
    static void requireWritable(Path root) {
        create(root);
        try {
            Files.delete(Files.createTempFile(root, ".pg-migrate-", ".probe"));
        } catch (IOException e) {
            throw MigrationException.environment("cannot write into the dump folder " + root + ": " + reason(e)
                    + "; make it writable, or choose another with --dump-root", e);
        }
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied on " + e.getMessage();
        }
        if (e instanceof FileAlreadyExistsException) {
            return e.getMessage() + " is a file";
        }
        return e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.toString();
    }
}
