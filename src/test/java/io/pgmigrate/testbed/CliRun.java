package io.pgmigrate.testbed;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A launcher run put together step by step: {@code new CliRun(home).env(...).args(...).run()} runs the packaged
 * launcher through {@link Launcher} (HOME of the test's own, no PG* variable of the developer's) and returns what it
 * printed and how it ended; {@link #start()} hands back the {@link Launcher} of a run to watch while it goes on.
 */
public final class CliRun {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final Path home;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> args = new ArrayList<>();

    /** A run with {@code home} as HOME (the default state folder, dump root and ~/.pgpass live there). */
    public CliRun(Path home) {
        this.home = home;
    }

    public CliRun env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public CliRun args(String... more) {
        args.addAll(List.of(more));
        return this;
    }

    public CliRun args(List<String> more) {
        args.addAll(more);
        return this;
    }

    /** What a run printed and how it ended. */
    public record Result(int exitCode, String stdout, String stderr) {
        /** Waits (failing the test after {@code timeout}) for a started run's end. */
        public static Result of(Launcher run, Duration timeout) {
            int code = run.waitFor(timeout);
            return new Result(code, run.stdout(), run.stderr());
        }

        /** stderr's lines that start with "pg-migrate: ", the tool's error lines. */
        public List<String> errorLines() {
            return stderr.lines().filter(l -> l.startsWith("pg-migrate: ")).toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    /** Runs to the end (two minutes at most) and returns the result. */
    public Result run() {
        try (Launcher run = start()) {
            return Result.of(run, TIMEOUT);
        }
    }

    /** Starts the launcher; the caller waits for it, and closes it (which kills what is still running). */
    public Launcher start() {
        return Launcher.start(home, env, args);
    }
}
