package io.pgmigrate.testbed;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged launcher ({@code <pgmigrate.root>/pg-migrate}) as a child process, the way a user runs it: a
 * clean environment (PATH, locale, JAVA_HOME and a HOME of the test's own, plus what the test adds), the given
 * arguments, stdout and stderr captured, the exit code returned. Nothing of the test JVM's environment leaks in, so
 * a PGPASSWORD or PGMIGRATE_* set around the build cannot change what a test sees.
 */
public final class CliRun {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    /** Quicker start-up for many short runs on a small machine; nothing the tool does depends on the JIT or GC. */
    private static final String JAVA_OPTS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

    private final Map<String, String> env = new TreeMap<>();
    private final List<String> args = new ArrayList<>();

    /** A run with {@code home} as HOME (the default state folder, dump root and ~/.pgpass live there). */
    public CliRun(Path home) {
        copy("PATH");
        copy("JAVA_HOME");
        copy("LANG");
        copy("LC_ALL");
        env.put("HOME", home.toString());
        env.put("PGMIGRATE_JAVA_OPTS", JAVA_OPTS);
    }

    private void copy(String name) {
        String value = System.getenv(name);
        if (value != null) {
            env.put(name, value);
        }
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
        try (Running running = start()) {
            return running.await(TIMEOUT);
        }
    }

    /** Starts the launcher; the caller awaits it (or closes it, which kills what is still running). */
    public Running start() {
        String root = System.getProperty("pgmigrate.root", ".");
        List<String> command = new ArrayList<>();
        command.add(Path.of(root).toAbsolutePath().resolve("pg-migrate").toString());
        command.addAll(args);
        try {
            Path out = Files.createTempFile("cli-run", ".out");
            Path err = Files.createTempFile("cli-run", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().clear();
            builder.environment().putAll(env);
            return new Running(builder.start(), out, err);
        } catch (IOException e) {
            return fail("cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
    }

    /** A launcher run in progress. */
    public static final class Running implements AutoCloseable {
        private final Process process;
        private final Path out;
        private final Path err;

        Running(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        /** The launcher's process, which becomes the JVM (the launcher ends in exec). */
        public ProcessHandle handle() {
            return process.toHandle();
        }

        /** What was written to stderr so far. */
        public String stderrSoFar() {
            return read(err);
        }

        public Result await(Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    String soFar = read(err);
                    kill();
                    return fail("pg-migrate did not finish within " + timeout + "; stderr so far:\n" + soFar);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
                return fail("interrupted while waiting for pg-migrate", e);
            }
            return new Result(process.exitValue(), read(out), read(err));
        }

        private void kill() {
            process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static String read(Path file) {
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(cannot read " + file + ": " + e.getMessage() + ")";
            }
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                kill();
            }
            try {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            } catch (IOException ignored) {
                // a temp file left behind
            }
        }
    }
}
