package io.pgmigrate.testbed;

import static org.junit.jupiter.api.Assertions.fail;

import io.pgmigrate.embedded.EmbeddedServer;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the packaged tool the way a user does: the {@code pg-migrate} launcher script of the repository (which
 * {@code exec}s {@code java -jar target/pg-migrate.jar}, so {@link #pid()} is the JVM's pid once it runs) as a child
 * process, with {@code HOME} set to a folder of the test's, so the state goes to {@code $HOME/pg_migrate_state} and
 * the dumps to {@code $HOME/pg_dumps}. stdout and stderr go to files in that folder.
 *
 * <p>The child gets this JVM's environment without any {@code PG*} variable (so nothing of the developer's leaks
 * in), plus the variables given, and SIGINT and SIGTERM at their default dispositions, as in a terminal (a JVM
 * started from a non-interactive shell's background job may have inherited SIGINT ignored).
 *
 * <p>{@link #close()} SIGKILLs whatever is left: the tool, its descendants, and every descendant seen earlier
 * (which a killed JVM leaves behind as orphans). Use it with try-with-resources.
 */
public final class Launcher implements AutoCloseable {
    /** Small parallelism for a 2-core machine: the knobs every end-to-end test passes. */
    public static final List<String> SMALL_KNOBS = List.of("--dump-jobs", "2", "--restore-jobs", "2", "-p", "2",
            "--verify-concurrency", "4");

    private static final Duration GONE_AFTER_KILL = Duration.ofSeconds(10);
    private static final int TAIL_LINES = 40;

    private final Process process;
    private final Path home;
    private final Path stdout;
    private final Path stderr;
    private final Set<ProcessHandle> seen = ConcurrentHashMap.newKeySet();

    private Launcher(Process process, Path home, Path stdout, Path stderr) {
        this.process = process;
        this.home = home;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Starts {@code pg-migrate args...} with {@code HOME=home} and these extra environment variables.
     * Output goes to {@code home/launch-<n>.stdout} and {@code .stderr}, n counting the launches in that home.
     */
    public static Launcher start(Path home, Map<String, String> env, List<String> args) {
        return start(home, env, List.of(), args);
    }

    /** As {@link #start(Path, Map, List)}, the launcher run by the command {@code prefix} (prlimit ...). */
    private static Launcher start(Path home, Map<String, String> env, List<String> prefix, List<String> args) {
        Path root = repositoryRoot();
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of("env", "--default-signal=INT,TERM", root.resolve("pg-migrate").toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
        builder.environment().put("HOME", home.toString());
        builder.environment().putAll(env);
        try {
            Files.createDirectories(home);
            int n = 1;
            while (Files.exists(home.resolve("launch-" + n + ".stdout"))) {
                n++;
            }
            Path out = home.resolve("launch-" + n + ".stdout");
            Path err = home.resolve("launch-" + n + ".stderr");
            builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.redirectOutput(out.toFile());
            builder.redirectError(err.toFile());
            return new Launcher(builder.start(), home, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /**
     * Starts a migration from source to target: the connection options for both servers on the command line, their
     * passwords in {@code PGMIGRATE_FROM_PASS} and {@code PGMIGRATE_TO_PASS} (never in argv), then {@code args}.
     */
    public static Launcher migrate(Path home, EmbeddedServer source, EmbeddedServer target, List<String> args) {
        return migrate(home, source, target, List.of(), args);
    }

    /**
     * As {@link #migrate(Path, EmbeddedServer, EmbeddedServer, List)}, under a stack size limit of {@code stackBytes}:
     * Linux lets a program's arguments and environment take a quarter of it (at least 128 kB), so a small limit
     * reaches with a few hundred long names what the default one (2 MB of arguments) reaches with tens of thousands.
     */
    public static Launcher migrateWithStackLimit(Path home, EmbeddedServer source, EmbeddedServer target,
                                                 long stackBytes, List<String> args) {
        return migrateWithStackLimit(home, source, target, stackBytes, Map.of(), args);
    }

    /**
     * As {@link #migrateWithStackLimit(Path, EmbeddedServer, EmbeddedServer, long, List)}, with these extra
     * environment variables, which the tool's child processes inherit: a large one leaves them less room for
     * arguments, so fewer names reach the limit.
     */
    public static Launcher migrateWithStackLimit(Path home, EmbeddedServer source, EmbeddedServer target,
                                                 long stackBytes, Map<String, String> env, List<String> args) {
        return migrate(home, source, target, List.of("prlimit", "--stack=" + stackBytes), env, args);
    }

    private static Launcher migrate(Path home, EmbeddedServer source, EmbeddedServer target, List<String> prefix,
                                    List<String> args) {
        return migrate(home, source, target, prefix, Map.of(), args);
    }

    private static Launcher migrate(Path home, EmbeddedServer source, EmbeddedServer target, List<String> prefix,
                                    Map<String, String> env, List<String> args) {
        List<String> all = new ArrayList<>(List.of(
                "--from-host", source.host(), "--from-port", Integer.toString(source.port()),
                "--from-user", source.superuser(),
                "--to-host", target.host(), "--to-port", Integer.toString(target.port()),
                "--to-user", target.superuser()));
        all.addAll(args);
        Map<String, String> allEnv = new HashMap<>(env);
        allEnv.put("PGMIGRATE_FROM_PASS", source.password());
        allEnv.put("PGMIGRATE_TO_PASS", target.password());
        return start(home, allEnv, prefix, all);
    }

    /** The JVM's pid: env and the launcher script exec, so the pid is java's once the tool runs. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The HOME this run got. */
    public Path home() {
        return home;
    }

    /**
     * {@code $HOME/pg_migrate_state} (unless the run was given --state-dir): markers, children.json,
     * target_settings.json, summary.json, logs.
     */
    public Path migrateState() {
        return home.resolve("pg_migrate_state");
    }

    /** {@code $HOME/pg_verify_state}: cached counts and verify markers. */
    public Path verifyState() {
        return home.resolve("pg_verify_state");
    }

    /** Sends a signal by name ("INT", "TERM", "KILL") to the tool; its descendants are remembered first. */
    public void signal(String name) {
        descendants();
        try {
            Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                fail("kill -s " + name + " " + pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while sending SIG" + name);
        }
    }

    /**
     * Waits for the tool to exit and returns its exit code (128 + n when signal n killed it). Fails the test, with
     * the ends of both outputs, if it is still running after {@code timeout}.
     */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("pg-migrate (pid " + pid() + ") still running after " + timeout.toSeconds() + " s\n"
                        + outputTail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while waiting for pg-migrate");
        }
        return process.exitValue();
    }

    /** A condition {@link #waitUntil} polls; it may throw (a query, say). */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    /**
     * Polls {@code condition} every 20 ms until it holds. Fails the test, with the tool's output, when the time is up,
     * or as soon as the tool exits if it was running when the wait began (the condition was to come true through it).
     */
    public void waitUntil(Duration timeout, String what, Condition condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean running = process.isAlive();
        while (true) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (Exception e) {
                fail("while waiting until " + what + ": " + e + "\n" + outputTail(), e);
            }
            if (running && !process.isAlive() && !holds(condition)) {
                fail("pg-migrate exited (" + process.exitValue() + ") before " + what + "\n" + outputTail());
            }
            if (System.nanoTime() - deadline > 0) {
                fail("not within " + timeout.toSeconds() + " s: " + what + "\n" + outputTail());
            }
            sleep(Duration.ofMillis(20));
        }
    }

    private static boolean holds(Condition condition) {
        try {
            return condition.holds();
        } catch (Exception e) {
            return false;
        }
    }

    /** Every running descendant of the tool now (pg_dump and its -j workers, pg_restore ...), remembered for close. */
    public List<ProcessHandle> descendants() {
        List<ProcessHandle> now = process.descendants().filter(Launcher::isRunning).toList();
        seen.addAll(now);
        return now;
    }

    /** The running descendants whose executable is named {@code command}, e.g. "pg_dump" (workers included). */
    public List<ProcessHandle> descendants(String command) {
        return descendants().stream().filter(h -> commandName(h).equals(command)).toList();
    }

    /**
     * Running processes anywhere on the machine, other than the tool, whose command line mentions this run's HOME:
     * pg_dump writes to {@code $HOME/pg_dumps/<db>} and pg_restore reads from there, so this finds them and their
     * workers even once they are no longer the tool's descendants.
     */
    public List<ProcessHandle> processesMentioningHome() {
        String needle = home.toString();
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(h -> h.pid() != pid())
                    .filter(h -> h.info().arguments().map(a -> Arrays.stream(a).anyMatch(s -> s.contains(needle)))
                            .orElse(false))
                    .filter(Launcher::isRunning)
                    .toList();
        }
    }

    public String stdout() {
        return read(stdout);
    }

    public String stderr() {
        return read(stderr);
    }

    public Path stdoutFile() {
        return stdout;
    }

    public Path stderrFile() {
        return stderr;
    }

    /** The last lines of stdout and stderr, for assertion messages. */
    public String outputTail() {
        return "--- stdout (" + stdout + ") ---\n" + tail(stdout()) + "--- stderr (" + stderr + ") ---\n"
                + tail(stderr());
    }

    /**
     * The summary table's row for one database, as column header -> cell ("status" -> "done", "dump" -> "earlier"
     * ...). Fails the test if stdout holds no such row.
     */
    public Map<String, String> summaryRow(String database) {
        List<String> header = null;
        for (String line : stdout().split("\n")) {
            if (!line.startsWith("|")) {
                continue;
            }
            List<String> cells = cells(line);
            if (header == null) {
                header = cells;
            } else if (!cells.isEmpty() && cells.get(0).equals(database)) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < header.size() && i < cells.size(); i++) {
                    row.put(header.get(i), cells.get(i));
                }
                return row;
            }
        }
        return fail("no summary row for " + database + "\n" + outputTail());
    }

    /** SIGKILLs the tool and every process of its tree still running, including orphans seen earlier. */
    @Override
    public void close() {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(process.toHandle());
        all.addAll(descendants());
        all.addAll(seen);
        all.stream().filter(Launcher::isRunning).forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + GONE_AFTER_KILL.toNanos();
        while (all.stream().anyMatch(Launcher::isRunning) && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(20));
        }
    }

    // ---------------------------------------------------------------- static helpers

    /** Alive and not a zombie (a process that has exited but whose parent has not collected it yet). */
    public static boolean isRunning(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(handle.pid()), "stat"),
                    StandardCharsets.ISO_8859_1);
            int afterName = stat.lastIndexOf(')');
            return !(afterName >= 0 && afterName + 2 < stat.length() && stat.charAt(afterName + 2) == 'Z');
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** The file name of a process's executable ("pg_dump", "java", "bash"), or "" if unknown. */
    public static String commandName(ProcessHandle handle) {
        return handle.info().command().map(c -> Path.of(c).getFileName().toString()).orElse("");
    }

    public static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    /**
     * The repository root (failsafe's {@code pgmigrate.root}), checked to hold a jar newer than every source:
     * otherwise the launcher would run Maven, with the test's HOME, from inside the test.
     */
    static Path repositoryRoot() {
        String property = System.getProperty("pgmigrate.root");
        if (property == null) {
            return fail("system property pgmigrate.root is not set: run the end-to-end tests with mvn verify");
        }
        Path root = Path.of(property).toAbsolutePath();
        Path jar = Path.of(System.getProperty("pgmigrate.jar", root.resolve("target/pg-migrate.jar").toString()));
        if (!Files.isExecutable(root.resolve("pg-migrate"))) {
            return fail("no executable launcher " + root.resolve("pg-migrate"));
        }
        try {
            if (!Files.isRegularFile(jar)) {
                return fail(jar + " is missing: run mvn package first");
            }
            FileTime built = Files.getLastModifiedTime(jar);
            try (Stream<Path> sources = Stream.concat(Files.walk(root.resolve("src/main")),
                    Stream.of(root.resolve("pom.xml")))) {
                List<Path> newer = sources.filter(Files::isRegularFile)
                        .filter(p -> lastModified(p).compareTo(built) > 0).limit(3).toList();
                if (!newer.isEmpty()) {
                    return fail(jar + " is older than " + newer + ": run mvn package first");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return root;
    }

    private static FileTime lastModified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> cells(String line) {
        String[] parts = line.split("\\|", -1);
        List<String> cells = new ArrayList<>();
        for (int i = 1; i < parts.length - 1; i++) {
            cells.add(parts[i].strip());
        }
        return cells;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(String text) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()))
                + (lines.isEmpty() ? "" : "\n");
    }
}
