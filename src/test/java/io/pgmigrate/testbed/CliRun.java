package io.pgmigrate.testbed;

import static org.junit.jupiter.api.Assertions.fail;

import io.pgmigrate.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A launcher run put together step by step: {@code new CliRun(home).env(...).args(...).run()} runs the packaged
 * launcher through {@link Launcher} (HOME of the test's own, no PG* variable of the developer's) and returns what it
 * printed and how it ended; {@link #start()} hands back the {@link Launcher} of a run to watch while it goes on.
 * {@link #inThisJvm()} runs it in the test's JVM instead where it can, which spares a JVM start per run.
 */
public final class CliRun {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    /** Arguments a run in this JVM may have alone, without --state-dir: they write no file. */
    private static final Set<String> ALONE = Set.of("--help", "--version");

    private final Path home;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> args = new ArrayList<>();
    private boolean inThisJvm;

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

    /**
     * {@link #run()} calls {@link Main#run} in this JVM, with stdout and stderr captured, instead of launching a
     * process, when the run needs nothing of a process of its own: no environment variable of its own (a JVM cannot
     * change its own environment), and its files where its arguments say ({@code --state-dir}: HOME is the test
     * JVM's; verify writes only its --json), or only {@code --help} or {@code --version}. Main.run is what the
     * launcher's JVM runs; what the launcher itself does (its exit code, signals, argv limits) is for the runs that
     * still launch.
     */
    public CliRun inThisJvm() {
        inThisJvm = true;
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
        boolean filesNamed = args.contains("--state-dir") || (!args.isEmpty() && args.get(0).equals("verify"));
        if (inThisJvm && env.isEmpty() && (filesNamed || ALONE.containsAll(args))) {
            return runHere();
        }
        try (Launcher run = start()) {
            return Result.of(run, TIMEOUT);
        }
    }

    /** Main.run in a thread of this JVM with System.out and System.err captured (one such run at a time). */
    private Result runHere() {
        synchronized (CliRun.class) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream stdout = System.out;
            PrintStream stderr = System.err;
            AtomicInteger code = new AtomicInteger(-1);
            Thread tool = new Thread(() -> code.set(Main.run(args.toArray(String[]::new))), "pg-migrate in-jvm");
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            try {
                tool.start();
                tool.join(TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for pg-migrate");
            } finally {
                System.out.flush();
                System.err.flush();
                System.setOut(stdout);
                System.setErr(stderr);
            }
            Result result = new Result(code.get(), out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
            if (tool.isAlive()) {
                fail("pg-migrate (in this JVM) still running after " + TIMEOUT.toSeconds() + " s\n" + result);
            }
            return result;
        }
    }

    /** Starts the launcher; the caller waits for it, and closes it (which kills what is still running). */
    public Launcher start() {
        return Launcher.start(home, env, args);
    }
}
