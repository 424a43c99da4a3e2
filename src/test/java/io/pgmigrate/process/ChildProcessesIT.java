package io.pgmigrate.process;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChildProcessesIT {

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopLeftovers() {
        for (Process p : started) {
            ProcessTree.snapshot(p.toHandle()).terminate(Duration.ZERO);
        }
    }

    @Test
    void terminateAllStopsEveryDescendant() throws Exception {
        ChildProcesses children = new ChildProcesses(null);
        Process bash = start(children, "bash", List.of("bash", "-c", "sleep 300 & sleep 300 & wait"));
        List<Long> pids = awaitDescendants(bash, 2);

        long t0 = System.nanoTime();
        children.terminateAll(Duration.ofSeconds(5));

        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThat(pids).hasSize(3).allSatisfy(pid -> assertThat(ProcessTree.isRunning(pid)).as("pid %d", pid).isFalse());
        assertThat(children.isTerminating()).isTrue();
    }

    @Test
    void killsWhatIgnoresSigtermAfterTheGracePeriod() throws Exception {
        ChildProcesses children = new ChildProcesses(null);
        // an ignored signal stays ignored across fork and exec: bash and both sleeps shrug off SIGTERM
        Process bash = start(children, "bash", List.of("bash", "-c", "trap '' TERM; sleep 300 & sleep 300 & wait"));
        List<Long> pids = awaitDescendants(bash, 2);

        long t0 = System.nanoTime();
        children.terminateAll(Duration.ofMillis(500));

        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(5));
        assertThat(pids).allSatisfy(pid -> assertThat(ProcessTree.isRunning(pid)).as("pid %d", pid).isFalse());
    }

    @Test
    void refusesNewChildrenOnceTerminating() {
        ChildProcesses children = new ChildProcesses(null);
        children.terminateAll(Duration.ofSeconds(1));
        assertThatThrownBy(() -> children.start(new ProcessBuilder("true"), "psql"))
                .isInstanceOf(CancelledException.class)
                .hasMessage("not starting psql: the run is being cancelled");
    }

    @Test
    void listsLiveChildrenInThePidFileAndRemovesItWhenNoneIsLeft() throws Exception {
        Path pidFile = dir.resolve("state/children.json");
        ChildProcesses children = new ChildProcesses(pidFile);
        Process sleep = start(children, "pg_restore", List.of("sleep", "300"));

        List<ChildPidFile.Entry> entries = ChildPidFile.read(pidFile);
        assertThat(entries).singleElement().satisfies(e -> {
            assertThat(e.pid()).isEqualTo(sleep.pid());
            assertThat(e.tool()).isEqualTo("pg_restore");
            assertThat(Instant.parse(e.startedAt())).isEqualTo(sleep.info().startInstant().orElseThrow());
        });
        assertThat(Files.list(pidFile.getParent())).containsExactly(pidFile); // no temp file left behind

        children.terminate(sleep, Duration.ofSeconds(5));
        children.unregister(sleep);
        assertThat(pidFile).doesNotExist();
    }

    @Test
    void killOrphansStopsOnlyPgToolsStartedAtTheRecordedInstant() throws Exception {
        Path fakeRestore = copyExecutable(Path.of("/usr/bin/sleep"), "pg_restore");
        Path fakeDump = copyExecutable(Path.of("/bin/bash"), "pg_dump");
        Path pidFile = dir.resolve("children.json");
        ChildProcesses crashedRun = new ChildProcesses(pidFile);
        Process realSleep = start(crashedRun, "sleep", List.of("sleep", "300"));
        Process restore = start(crashedRun, "pg_restore", List.of(fakeRestore.toString(), "300"));
        Process dump = start(crashedRun, "pg_dump", List.of(fakeDump.toString(), "-c", "sleep 300 & sleep 300 & wait"));
        List<Long> dumpTree = awaitDescendants(dump, 2);
        // the run "crashes" here: nothing unregisters, the file stays

        ChildProcesses.killOrphans(pidFile, Duration.ofSeconds(5));

        assertThat(ProcessTree.isRunning(restore.pid())).isFalse();
        assertThat(dumpTree).allSatisfy(pid -> assertThat(ProcessTree.isRunning(pid)).as("pid %d", pid).isFalse());
        assertThat(realSleep.isAlive()).as("a process that is not a pg tool is left alone").isTrue();
        assertThat(pidFile).doesNotExist();
    }

    @Test
    void killOrphansLeavesAProcessWithAnotherStartInstant() throws Exception {
        Path fakeRestore = copyExecutable(Path.of("/usr/bin/sleep"), "pg_restore");
        Process restore = start(new ChildProcesses(null), "pg_restore", List.of(fakeRestore.toString(), "300"));
        Path pidFile = dir.resolve("children.json");
        // the pid was recorded for a process that started earlier: this one only reuses the number
        ChildPidFile.write(pidFile, List.of(new ChildPidFile.Entry(restore.pid(),
                restore.info().startInstant().orElseThrow().minusSeconds(60).toString(), "pg_restore")));

        ChildProcesses.killOrphans(pidFile, Duration.ofSeconds(5));

        assertThat(restore.isAlive()).isTrue();
        assertThat(pidFile).doesNotExist();
    }

    @Test
    void killOrphansWithoutAFileDoesNothing() {
        ChildProcesses.killOrphans(dir.resolve("absent.json"));
        ChildProcesses.killOrphans(null);
    }

    private Process start(ChildProcesses children, String tool, List<String> argv) throws IOException {
        Process p = children.start(new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD), tool);
        started.add(p);
        return p;
    }

    /** The process's pid followed by its descendants' once it has {@code count} of them. */
    private static List<Long> awaitDescendants(Process p, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<Long> descendants;
        do {
            descendants = p.toHandle().descendants().map(ProcessHandle::pid).collect(Collectors.toList());
            if (descendants.size() >= count) {
                descendants.add(0, p.pid());
                return descendants;
            }
            Thread.sleep(20);
        } while (System.nanoTime() - deadline < 0);
        throw new AssertionError("pid " + p.pid() + " has " + descendants.size() + " descendants, not " + count);
    }

    private Path copyExecutable(Path program, String name) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        // a copy, not a symlink: the kernel reports a process's command as the resolved executable
        Path copy = bin.resolve(name);
        Files.copy(program, copy, StandardCopyOption.COPY_ATTRIBUTES);
        return copy;
    }
}
