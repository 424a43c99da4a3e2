package io.pgmigrate.testbed;

import io.pgmigrate.cli.Main;
import io.pgmigrate.embedded.EmbeddedServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds a pg-migrate command line between two test servers and runs it in this JVM. */
public final class Migration {
    private final List<String> args = new ArrayList<>();
    private final Path work;

    public Migration(EmbeddedServer source, EmbeddedServer target, Path work) {
        this.work = work;
        args.addAll(List.of(
                "--from-host", source.host(), "--from-port", Integer.toString(source.port()),
                "--from-user", source.superuser(), "--from-pass", source.password(),
                "--to-host", target.host(), "--to-port", Integer.toString(target.port()),
                "--to-user", target.superuser(), "--to-pass", target.password(),
                "--state-dir", work.toString(), "--dump-root", work.resolve("dumps").toString(),
                "--dump-jobs", "2", "--restore-jobs", "2", "--max-parallel", "2", "--verify-concurrency", "4"));
    }

    public Migration with(String... more) {
        args.addAll(List.of(more));
        return this;
    }

    /** The target reached on another port of its host: a proxy in front of it. */
    public Migration targetPort(int port) {
        args.set(args.indexOf("--to-port") + 1, Integer.toString(port));
        return this;
    }

    /** The target reached as another of its superusers than the one it was initdb'd with. */
    public Migration targetLogin(String user, String password) {
        args.set(args.indexOf("--to-user") + 1, user);
        args.set(args.indexOf("--to-pass") + 1, password);
        return this;
    }

    public List<String> args() {
        return List.copyOf(args);
    }

    public Path migrateState() {
        return work.resolve("pg_migrate_state");
    }

    public Path verifyState() {
        return work.resolve("pg_verify_state");
    }

    public int run() {
        return Main.run(args.toArray(String[]::new));
    }
}
