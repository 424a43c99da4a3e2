package io.pgmigrate.process;

import io.pgmigrate.MigrationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds pg_dump, pg_restore, pg_dumpall and psql and reads their versions.
 *
 * <p>Where: all four in the {@code --pg-bin} directory when one is given; otherwise each on PATH, else in the newest
 * {@code /usr/lib/postgresql/<version>/bin} (Debian and Ubuntu). On PATH, Debian's {@code pg_wrapper} links
 * ({@code /usr/bin/pg_dump}) are passed over: the wrapper picks a version by local clusters and environment, so the
 * version we read could differ from the one that runs; the newest installed version is what it would mostly pick,
 * and the right choice for dumping anyway.
 */
public final class ToolLocator {

    public static final List<String> TOOLS = List.of("pg_dump", "pg_restore", "pg_dumpall", "psql");

    private static final Logger log = LoggerFactory.getLogger(ToolLocator.class);

    private final ProcessRunner runner;
    private final String searchPath;
    private final Path versionedRoot;

    /** Searches the PATH of this process, then /usr/lib/postgresql. */
    public ToolLocator(ProcessRunner runner) {
        this(runner, System.getenv("PATH"), Path.of("/usr/lib/postgresql"));
    }

    /**
     * @param searchPath    directories separated by the path separator, like PATH (null: none)
     * @param versionedRoot a folder of {@code <version>/bin} folders (null: none)
     */
    public ToolLocator(ProcessRunner runner, String searchPath, Path versionedRoot) {
        this.runner = runner;
        this.searchPath = searchPath == null ? "" : searchPath;
        this.versionedRoot = versionedRoot;
    }

    /**
     * Locates the four tools and reads their versions.
     *
     * @param pgBin the {@code --pg-bin} directory, or null to search
     */
    public ClientTools locate(Path pgBin) {
        List<ClientTools.Tool> tools = new ArrayList<>();
        for (String name : TOOLS) {
            Path path = pgBin != null ? inPgBin(pgBin, name) : search(name);
            tools.add(new ClientTools.Tool(name, path, versionOf(name, path)));
        }
        ClientTools found = new ClientTools(tools.get(0), tools.get(1), tools.get(2), tools.get(3));
        log.debug("client tools: {}", found.describe());
        return found;
    }

    private static Path inPgBin(Path pgBin, String name) {
        if (!Files.isDirectory(pgBin)) {
            throw MigrationException.environment("--pg-bin " + pgBin + " is not a directory");
        }
        Path path = pgBin.resolve(name);
        if (!isExecutableFile(path)) {
            throw MigrationException.environment(name + " not found in --pg-bin " + pgBin
                    + "; it must hold pg_dump, pg_restore, pg_dumpall and psql of one PostgreSQL version");
        }
        return path;
    }

    private Path search(String name) {
        for (String dir : searchPath.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path path = Path.of(dir).resolve(name);
            if (isExecutableFile(path)) {
                if (!isPgWrapper(path)) {
                    return path;
                }
                log.debug("passing over {}: it is Debian's pg_wrapper", path);
            }
        }
        return newestVersioned(name).orElseThrow(() -> MigrationException.environment(name + " not found in PATH"
                + (versionedRoot == null ? "" : " nor in " + versionedRoot + "/*/bin")
                + "; install postgresql-client-NN (NN: the source server's major version or newer) or pass --pg-bin DIR"));
    }

    private Optional<Path> newestVersioned(String name) {
        if (versionedRoot == null || !Files.isDirectory(versionedRoot)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(versionedRoot)) {
            return dirs.filter(dir -> dir.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                    .filter(dir -> isExecutableFile(dir.resolve("bin").resolve(name)))
                    .max(Comparator.comparing(dir -> PgVersion.parse(dir.getFileName().toString())))
                    .map(dir -> dir.resolve("bin").resolve(name));
        } catch (IOException e) {
            log.debug("cannot list {}: {}", versionedRoot, e.getMessage());
            return Optional.empty();
        }
    }

    private PgVersion versionOf(String name, Path path) {
        ProcessRunner.Result result = runner.run(ProcessSpec.of(name, List.of(path.toString(), "--version"))
                .capturingStdout());
        String output = result.stdout().strip();
        if (!result.succeeded()) {
            throw MigrationException.environment("cannot read the version of " + path + ": "
                    + new ToolFailedException(name, result.exitCode(), result.stderrTail()).getMessage());
        }
        try {
            return PgVersion.fromVersionOutput(output);
        } catch (IllegalArgumentException e) {
            throw MigrationException.environment("cannot read the version of " + path + " from '" + output + "'", e);
        }
    }

    private static boolean isExecutableFile(Path path) {
        return Files.isRegularFile(path) && Files.isExecutable(path);
    }

    private static boolean isPgWrapper(Path path) {
        try {
            return path.toRealPath().getFileName().toString().equals("pg_wrapper");
        } catch (IOException e) {
            return false;
        }
    }
}
