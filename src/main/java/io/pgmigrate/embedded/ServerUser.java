package io.pgmigrate.embedded;

import com.sun.security.auth.module.UnixSystem;
import io.pgmigrate.MigrationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The OS user the server processes run as. initdb and postgres refuse to run as root, so when the JVM's effective
 * uid is 0 they run as the unprivileged user {@code postgres} through {@code runuser}; otherwise as ourselves.
 */
final class ServerUser {
    static final String OS_USER = "postgres";
    private static final boolean ROOT = new UnixSystem().getUid() == 0;

    private ServerUser() {
    }

    static boolean weAreRoot() {
        return ROOT;
    }

    /** argv as the server user: {@code runuser -u postgres -- argv...} when we are root, argv otherwise. */
    static List<String> argv(List<String> argv) {
        if (!ROOT) {
            return argv;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", OS_USER, "--"));
        wrapped.addAll(argv);
        return wrapped;
    }

    /** Hands a file or folder we created to the server user (root only; otherwise it is ours already). */
    static void giveAway(Path path) {
        if (!ROOT) {
            return;
        }
        try {
            UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
            PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
            view.setOwner(users.lookupPrincipalByName(OS_USER));
            view.setGroup(users.lookupPrincipalByGroupName(OS_USER));
        } catch (IOException e) {
            throw MigrationException.environment("cannot hand " + path + " to the OS user '" + OS_USER
                    + "' (" + e.getMessage() + "): servers run as that user when we are root; create it"
                    + " (apt-get install postgresql-common creates it) or run as a normal user", e);
        }
    }

    /**
     * Fails clearly unless the server user can run {@code binDir/postgres} and write into {@code runDir}: a folder on
     * the way (root's 0700 home, typically) would otherwise surface as an obscure initdb error.
     */
    static void checkCanUse(Path binDir, Path runDir) {
        if (!ROOT) {
            return;
        }
        List<String> test = argv(List.of("test", "-x", binDir.resolve("postgres").toString(),
                "-a", "-w", runDir.toString()));
        if (!ChildProcess.run(test, runDir, Map.of(), Duration.ofSeconds(30), null).succeeded()) {
            throw MigrationException.environment("the OS user '" + OS_USER + "' cannot execute "
                    + binDir.resolve("postgres") + " or write " + runDir + ": every folder on the way must be"
                    + " traversable by all users (chmod a+rX), or start Java with -Djava.io.tmpdir=/tmp", null);
        }
    }
}
