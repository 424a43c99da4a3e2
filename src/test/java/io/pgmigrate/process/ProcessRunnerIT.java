package io.pgmigrate.process;

import io.pgmigrate.ExitCode;
import io.pgmigrate.MigrationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcessRunnerIT {

    @TempDir
    Path dir;

    private final ChildProcesses children = new ChildProcesses(null);
    private final ProcessRunner runner = new ProcessRunner(children, Duration.ofSeconds(5));

    private static ProcessSpec bash(String script) {
        return ProcessSpec.of("bash", List.of("bash", "-c", script));
    }

    @Test
    void capturesStdoutKeepsTheStderrTailAndAppendsStderrToTheLog() throws Exception {
        Path log = dir.resolve("dump.log");
        Files.writeString(log, "earlier\n");

        ProcessRunner.Result result = runner.run(bash("for i in $(seq 1 100); do echo \"line $i\" >&2; done; echo out")
                .capturingStdout().withStderrLog(log));

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.stderrTail()).hasSize(ProcessRunner.STDERR_TAIL_LINES)
                .startsWith("line 61").endsWith("line 100");
        assertThat(Files.readAllLines(log)).hasSize(101).startsWith("earlier", "line 1").endsWith("line 100");
        assertThat(result.elapsed()).isPositive();
        assertThat(children.size()).isZero();
    }

    /** pg_restore prints the statement that failed: a password in it reaches neither the log nor the tail. */
    @Test
    void secretsInAToolsStderrAreMaskedInTheLogAndTheTail() throws Exception {
        Path log = dir.resolve("restore.log");
        String stderr = String.join("\n",
                "pg_restore: error: could not execute query: ERROR:  role \"bob\" does not exist",
                "Command was: CREATE USER MAPPING FOR bob SERVER remote OPTIONS (",
                "    password 'hunter2',",
                "    \"user\" 'bob'",
                ");",
                "Command was: CREATE SUBSCRIPTION s CONNECTION 'host=h password=hunter2 dbname=d' PUBLICATION p",
                "Command was: CREATE ROLE r LOGIN PASSWORD 'hunter2';");

        ProcessRunner.Result result = runner.run(bash("printf '%s\\n' \"$ERR\" >&2")
                .withEnv("ERR", stderr).withStderrLog(log));

        String logged = Files.readString(log);
        assertThat(logged).doesNotContain("hunter2").contains("    password '***',", "password=****",
                "PASSWORD '***'", "\"user\" 'bob'");
        assertThat(String.join("\n", result.stderrTail())).doesNotContain("hunter2").contains("password '***'");
    }

    @Test
    void drainsBigOutputOnBothStreamsWithoutBlocking() {
        // megabytes on stderr first, then on stdout: either pipe would fill (64 KiB) if not read concurrently
        ProcessRunner.Result result = runner.run(bash(
                "head -c 3000000 /dev/zero | tr '\\0' e | fold -w 99 >&2; head -c 5000000 /dev/zero | tr '\\0' o")
                .capturingStdout());

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).hasSize(5_000_000);
        assertThat(result.stderrTail()).hasSize(ProcessRunner.STDERR_TAIL_LINES);
    }

    @Test
    void aFailedToolGivesAOneLineMessage() {
        ProcessRunner.Result result = runner.run(bash("echo 'psql: error: connection refused' >&2; echo done >&2; exit 3")
                .withEnv("PGPASSWORD", "x"));

        assertThat(result.succeeded()).isFalse();
        assertThat(result.stdout()).isNull();
        assertThatThrownBy(result::requireSuccess)
                .isInstanceOf(ToolFailedException.class)
                .hasMessage("bash failed (exit 3): psql: error: connection refused");
    }

    @Test
    void feedsStdinAndPassesTheEnvironment() {
        ProcessRunner.Result result = runner.run(bash("cat; printf '%s' \"$PGPASSWORD\"")
                .withStdin("CREATE ROLE r PASSWORD 'p';\n").withEnv("PGPASSWORD", "s3cret é").capturingStdout());

        assertThat(result.requireSuccess().stdout()).isEqualTo("CREATE ROLE r PASSWORD 'p';\ns3cret é");
    }

    @Test
    void givesAChildAnEmptyStdinByDefault() {
        assertThat(runner.run(bash("cat; echo end").capturingStdout()).stdout()).isEqualTo("end\n");
    }

    @Test
    void writesStdoutToAFileInTheWorkingDirectory() throws Exception {
        Path out = dir.resolve("out.txt");
        runner.run(bash("pwd").withWorkingDir(dir).withStdoutTo(out)).requireSuccess();
        assertThat(Files.readString(out).strip()).isEqualTo(dir.toRealPath().toString());
    }

    @Test
    void redactedCommandLineReadsBackAsTheSameArgv() {
        List<String> argv = List.of("printf", "%s\\0", "plain", "two words", "it's", "a\"b", "$HOME", "", "é ü",
                "back\\slash", ConnInfo.of("127.0.0.1", 5432, "u", "a'b \"c\" =d é").dbnameArg());
        String redacted = ProcessSpec.of("printf", argv).redacted();

        String echoed = runner.run(ProcessSpec.of("bash", List.of("bash", "-c", "eval \"$1\"", "bash", redacted))
                .capturingStdout()).requireSuccess().stdout();

        assertThat(Arrays.asList(echoed.split("\0", -1))).isEqualTo(
                concat(argv.subList(2, argv.size()), ""));
    }

    @Test
    void interruptingTheCallerStopsTheChildTree() throws Exception {
        Path pids = dir.resolve("pids");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean interruptFlag = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            try {
                runner.run(bash("sleep 300 & echo $! >> " + pids + "; sleep 300 & echo $! >> " + pids + "; wait"));
            } catch (Throwable t) {
                thrown.set(t);
                interruptFlag.set(Thread.currentThread().isInterrupted());
            }
        });
        caller.start();
        List<Long> sleeps = awaitLines(pids, 2);

        caller.interrupt();
        caller.join(10_000);

        assertThat(caller.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(CancelledException.class).hasMessage("bash was stopped: interrupted");
        assertThat(((MigrationException) thrown.get()).exitCode()).isEqualTo(ExitCode.INTERRUPTED);
        assertThat(interruptFlag).isTrue();
        assertThat(sleeps).allSatisfy(pid -> assertThat(ProcessTree.isRunning(pid)).as("pid %d", pid).isFalse());
        assertThat(children.size()).isZero();
    }

    @Test
    void aToolStoppedByCancellationIsReportedAsCancelledNotFailed() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                runner.run(bash("sleep 300"));
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        caller.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (children.size() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }

        children.terminateAll(Duration.ofSeconds(5));
        caller.join(10_000);

        assertThat(thrown.get()).isInstanceOf(CancelledException.class)
                .hasMessage("bash was stopped: the run is being cancelled");
        assertThatThrownBy(() -> runner.run(bash("true"))).isInstanceOf(CancelledException.class);
    }

    @Test
    void aMissingProgramIsAnEnvironmentError() {
        assertThatThrownBy(() -> runner.run(ProcessSpec.of("pg_dump", List.of(dir.resolve("pg_dump").toString()))))
                .isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("cannot start pg_dump (" + dir.resolve("pg_dump") + "): ")
                .extracting(e -> ((MigrationException) e).exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
    }

    private static List<String> concat(List<String> list, String last) {
        List<String> all = new java.util.ArrayList<>(list);
        all.add(last);
        return all;
    }

    private static List<Long> awaitLines(Path file, int count) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (lines.size() >= count) {
                    return lines.stream().map(Long::parseLong).toList();
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no " + count + " pids in " + file);
    }
}
