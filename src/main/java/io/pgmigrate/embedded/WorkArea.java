package io.pgmigrate.embedded;

import io.pgmigrate.MigrationException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The folders the embedded servers live in: {@code <java.io.tmpdir>/pg-migrate-servers}, mode 0755, holding one
 * unpacked binary tree per version and {@code run/} with one folder per running server. It is below the system
 * temporary directory, never below $HOME: root's home is 0700 and the {@code postgres} OS user must traverse it.
 */
final class WorkArea {
    static final String BASE_NAME = "pg-migrate-servers";

    private WorkArea() {
    }

    /** {@code <java.io.tmpdir>/pg-migrate-servers}, created 0755 when missing. */
    static Path base() {
        return ensureOpenFolder(Path.of(System.getProperty("java.io.tmpdir"), BASE_NAME).toAbsolutePath());
    }

    /** {@code <base>/run}: the parent of every server's run folder, created 0755 when missing. */
    static Path runRoot() {
        return ensureOpenFolder(base().resolve("run"));
    }

    /** Creates the folder if needed and makes it rwxr-xr-x when we own it, so every user can traverse it. */
    static Path ensureOpenFolder(Path dir) {
        try {
            Files.createDirectories(dir);
            trySetOpen(dir);
            if (!Files.isWritable(dir)) {
                throw MigrationException.environment(dir + " is not writable by this user: remove it, or start Java"
                        + " with -Djava.io.tmpdir=<another folder every user can traverse>", null);
            }
            return dir;
        } catch (IOException e) {
            String reason = e instanceof AccessDeniedException ? "permission denied on " + e.getMessage() : e.toString();
            throw MigrationException.environment("cannot create " + dir + " (" + reason + ")"
                    + "; start Java with -Djava.io.tmpdir=<a writable folder every user can traverse>", e);
        }
    }

    private static void trySetOpen(Path dir) {
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            // someone else's folder: the writability and traversal checks report what matters
        }
    }
}
