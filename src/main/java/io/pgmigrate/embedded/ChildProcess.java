package io.pgmigrate.embedded;

import io.pgmigrate.MigrationException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one child process of the embedded-server layer (initdb, pg_ctl, tar, mvn) from an argv list, never through a
 * shell. Its stdout and stderr go to a temporary file, so nothing can deadlock on a full pipe (pg_ctl's postmaster
 * outlives it); the tail of that file is kept for error messages. Secrets never go through here as arguments.
 */
final class ChildProcess {
    private static final Logger log = LoggerFactory.getLogger(ChildProcess.class);
    private static final int TAIL_BYTES = 4000;

    /** Writes the child's standard input, then returns; the stream is closed afterwards. */
    @FunctionalInterface
    interface StdinWriter {
        void writeTo(OutputStream stdin) throws IOException;
    }

    record Result(List<String> argv, int exitCode, String outputTail) {
        boolean succeeded() {
            return exitCode == 0;
        }
    }

    private ChildProcess() {
    }

    /**
     * Runs argv in workDir and waits at most timeout. Environment: ours, minus every PG* variable (no stray
     * PGPASSWORD, PGPORT or PGDATA reaches the child), plus envOverrides.
     */
    static Result run(List<String> argv, Path workDir, Map<String, String> envOverrides, Duration timeout,
                      StdinWriter stdin) {
        log.debug("running: {}", String.join(" ", argv));
        Path output = null;
        try {
            output = Files.createTempFile("pg-migrate-child", ".out");
            ProcessBuilder builder = new ProcessBuilder(argv)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(stdin == null ? ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())
                                                 : ProcessBuilder.Redirect.PIPE);
            builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
            builder.environment().putAll(envOverrides);
            Process process = builder.start();
            IOException stdinFailure = feed(process, stdin);
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw MigrationException.environment(argv.get(0) + " did not finish within " + timeout.toSeconds()
                        + "s and was killed; output: " + tail(output), null);
            }
            Result result = new Result(argv, process.exitValue(), tail(output));
            if (stdinFailure != null && result.succeeded()) {
                throw MigrationException.environment("could not feed the input of " + argv.get(0), stdinFailure);
            }
            return result;
        } catch (IOException e) {
            throw MigrationException.environment("could not run " + argv.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MigrationException.environment("interrupted while waiting for " + argv.get(0), e);
        } finally {
            deleteQuietly(output);
        }
    }

    /** Like {@link #run} but a non-zero exit fails with what + the child's output tail. */
    static Result runOrFail(String what, List<String> argv, Path workDir, Map<String, String> envOverrides,
                            Duration timeout, StdinWriter stdin) {
        Result result = run(argv, workDir, envOverrides, timeout, stdin);
        if (!result.succeeded()) {
            throw MigrationException.environment(what + " failed (exit " + result.exitCode() + "): "
                    + result.outputTail().strip(), null);
        }
        return result;
    }

    /** Writes stdin; a broken pipe is returned, not thrown, so the child's own error message wins. */
    private static IOException feed(Process process, StdinWriter stdin) {
        if (stdin == null) {
            return null;
        }
        try (OutputStream in = process.getOutputStream()) {
            stdin.writeTo(in);
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    /** The last TAIL_BYTES of the output file, decoded leniently (a tail may cut a UTF-8 sequence). */
    private static String tail(Path output) throws IOException {
        try (FileChannel channel = FileChannel.open(output, StandardOpenOption.READ)) {
            long start = Math.max(0, channel.size() - TAIL_BYTES);
            ByteBuffer buffer = ByteBuffer.allocate((int) (channel.size() - start));
            channel.position(start);
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // keep reading
            }
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
            return start > 0 ? "..." + text : text;
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.debug("could not delete {}", file, e);
        }
    }
}
