package io.pgmigrate.process;

import io.pgmigrate.MigrationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one child process to its end: argv list (never a shell), stdout and stderr drained on their own threads (so a
 * chatty child never blocks on a full pipe), stderr appended to the spec's log file and its last lines kept for the
 * error message. Interrupting the calling thread stops the child with its descendants and throws
 * {@link CancelledException}, leaving the interrupt flag set.
 */
public final class ProcessRunner {

    /** A finished child. {@code stdout} is null unless it was captured. */
    public record Result(String tool, int exitCode, String stdout, List<String> stderrTail, Duration elapsed) {

        public Result {
            stderrTail = List.copyOf(stderrTail);
        }

        public boolean succeeded() {
            return exitCode == 0;
        }

        /** This result if the tool exited 0, else a {@link ToolFailedException}. */
        public Result requireSuccess() {
            if (exitCode != 0) {
                throw new ToolFailedException(tool, exitCode, stderrTail);
            }
            return this;
        }

        @Override
        public String toString() {
            return "Result[" + tool + " exit " + exitCode + " in " + elapsed.toMillis() + " ms"
                    + (stdout == null ? "" : ", " + stdout.length() + " chars captured") + "]";
        }
    }

    /** How many of the last stderr lines a result keeps. */
    public static final int STDERR_TAIL_LINES = 40;

    private static final Logger log = LoggerFactory.getLogger(ProcessRunner.class);
    private static final Duration DRAIN_AFTER_EXIT = Duration.ofSeconds(10);

    private final ChildProcesses children;
    private final Duration terminateGrace;

    /** @param terminateGrace how long an interrupted child gets between SIGTERM and SIGKILL */
    public ProcessRunner(ChildProcesses children, Duration terminateGrace) {
        this.children = children;
        this.terminateGrace = terminateGrace;
    }

    public ProcessRunner(ChildProcesses children) {
        this(children, Duration.ofSeconds(10));
    }

    /**
     * Runs the spec and waits for it. A non-zero exit code is not an error here: see {@link Result#requireSuccess()}.
     * Throws {@link CancelledException} when interrupted or when the run is being cancelled, and an environment
     * {@link MigrationException} when the program cannot be started.
     */
    public Result run(ProcessSpec spec) {
        requireEncodable(spec);
        ProcessBuilder builder = builderFor(spec);
        log.debug("run: {}", spec.redacted());
        long started = System.nanoTime();
        Process process;
        try {
            process = children.start(builder, spec.tool());
        } catch (IOException e) {
            throw MigrationException.environment("cannot start " + spec.tool() + " (" + spec.argv().get(0) + "): "
                    + e.getMessage(), e);
        }
        try {
            return await(spec, process, started);
        } finally {
            children.unregister(process);
        }
    }

    private Result await(ProcessSpec spec, Process process, long started) {
        String name = spec.tool() + "-" + process.pid();
        StderrTail stderr = new StderrTail(process.getErrorStream(), spec);
        Thread stderrThread = daemon(name + "-stderr", stderr::drain);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        Thread stdoutThread = spec.capturesStdout()
                ? daemon(name + "-stdout", () -> copy(process.getInputStream(), stdout, spec.tool()))
                : null;
        feedStdin(spec, process, name);
        int exitCode;
        try {
            exitCode = process.waitFor();
            join(stderrThread, spec.tool());
            join(stdoutThread, spec.tool());
        } catch (InterruptedException e) {
            log.debug("{} (pid {}) interrupted: stopping it", spec.tool(), process.pid());
            children.terminate(process, terminateGrace);
            Thread.currentThread().interrupt();
            throw new CancelledException(spec.tool() + " was stopped: interrupted");
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        log.debug("{} (pid {}) exited {} after {} ms", spec.tool(), process.pid(), exitCode, elapsed.toMillis());
        if (exitCode != 0 && children.isTerminating()) {
            throw new CancelledException(spec.tool() + " was stopped: the run is being cancelled");
        }
        String captured = stdoutThread == null ? null : stdout.toString(StandardCharsets.UTF_8);
        return new Result(spec.tool(), exitCode, captured, stderr.tail(), elapsed);
    }

    private static ProcessBuilder builderFor(ProcessSpec spec) {
        ProcessBuilder builder = new ProcessBuilder(spec.argv());
        // the user's own PGOPTIONS comes first, so the tool's settings (later -c options win) are added to it
        String usersOptions = builder.environment().get("PGOPTIONS");
        builder.environment().putAll(spec.env());
        if (usersOptions != null && !usersOptions.isBlank() && spec.env().containsKey("PGOPTIONS")) {
            builder.environment().put("PGOPTIONS", usersOptions + " " + spec.env().get("PGOPTIONS"));
        }
        if (spec.workingDir() != null) {
            builder.directory(spec.workingDir().toFile());
        }
        builder.redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.redirectError(ProcessBuilder.Redirect.PIPE);
        ProcessSpec.Stdout stdout = spec.stdout();
        if (stdout instanceof ProcessSpec.Stdout.ToFile toFile) {
            builder.redirectOutput(toFile.file().toFile());
        } else if (stdout instanceof ProcessSpec.Stdout.Discard) {
            builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        } else {
            builder.redirectOutput(ProcessBuilder.Redirect.PIPE);
        }
        return builder;
    }

    private static void feedStdin(ProcessSpec spec, Process process, String name) {
        OutputStream in = process.getOutputStream();
        if (spec.stdin() == null) {
            closeQuietly(in);
            return;
        }
        daemon(name + "-stdin", () -> {
            try (in) {
                in.write(spec.stdin().getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                log.debug("{} did not read all its input: {}", spec.tool(), e.getMessage()); // it exited early
            }
        });
    }

    /**
     * The JVM encodes argv and environment with the platform charset (sun.jnu.encoding): under a POSIX/ASCII locale a
     * database named "é" would reach pg_dump as "?". Refuse that clearly instead.
     */
    private static void requireEncodable(ProcessSpec spec) {
        String charsetName = System.getProperty("sun.jnu.encoding");
        if (charsetName == null || !Charset.isSupported(charsetName)) {
            return;
        }
        CharsetEncoder encoder = Charset.forName(charsetName).newEncoder();
        List<String> values = new ArrayList<>(spec.argv());
        spec.env().forEach((k, v) -> {
            values.add(k);
            values.add(v);
        });
        for (String value : values) {
            if (!encoder.canEncode(value)) {
                throw MigrationException.environment("cannot pass non-ASCII names to " + spec.tool()
                        + ": this JVM runs with the " + charsetName + " charset; run pg-migrate under a UTF-8 locale"
                        + " (e.g. LANG=C.UTF-8)");
            }
        }
    }

    private static void join(Thread thread, String tool) throws InterruptedException {
        if (thread == null) {
            return;
        }
        thread.join(DRAIN_AFTER_EXIT.toMillis());
        if (thread.isAlive()) {
            // a descendant that outlived the tool still holds the pipe open
            log.warn("{} exited but its output stays open ({}); not waiting for it", tool, thread.getName());
        }
    }

    private static void copy(InputStream from, OutputStream to, String tool) {
        try (from) {
            from.transferTo(to);
        } catch (IOException e) {
            log.debug("reading the output of {} stopped: {}", tool, e.getMessage());
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void closeQuietly(OutputStream stream) {
        try {
            stream.close();
        } catch (IOException e) {
            log.debug("closing a child's stdin: {}", e.getMessage());
        }
    }
}
