package io.pgmigrate.process;

import io.pgmigrate.ExitCode;
import io.pgmigrate.MigrationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Needs PostgreSQL 15's client tools from Debian's packages in /usr/lib/postgresql/15/bin (see TESTING.md). */
class ToolLocatorIT {

    private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");
    private static final Path PG15_BIN = DEBIAN_ROOT.resolve("15/bin");

    @TempDir
    Path dir;

    private final ProcessRunner runner = new ProcessRunner(new ChildProcesses(null));

    @Test
    void findsTheToolsOfThisMachine() {
        assertThat(PG15_BIN.resolve("pg_dump")).as("postgresql-client-15 must be installed").isExecutable();

        ClientTools tools = new ToolLocator(runner).locate(null);

        assertThat(tools.all()).extracting(ClientTools.Tool::name).containsExactlyElementsOf(ToolLocator.TOOLS);
        assertThat(tools.all()).allSatisfy(tool -> {
            assertThat(tool.path()).isExecutable();
            assertThat(tool.path().toRealPath().getFileName().toString()).isNotEqualTo("pg_wrapper");
            assertThat(tool.version().isAtLeast(15)).isTrue();
        });
        tools.requireCanDump(PgVersion.of(15));
        tools.requireCanDump(PgVersion.parse("9.6"));
    }

    @Test
    void passesOverDebiansWrapperOnPath() {
        assertThat(Path.of("/usr/bin/pg_dump")).as("Debian's pg_wrapper link").exists();

        ClientTools tools = new ToolLocator(runner, "/usr/bin", DEBIAN_ROOT).locate(null);

        assertThat(tools.pgDump().path().getParent().getParent().getParent()).isEqualTo(DEBIAN_ROOT);
        assertThat(tools.psql().path().getFileName()).hasToString("psql");
    }

    @Test
    void usesThePgBinDirectory() {
        ClientTools tools = new ToolLocator(runner, "", null).locate(PG15_BIN);

        assertThat(tools.all()).extracting(ClientTools.Tool::path)
                .containsExactly(PG15_BIN.resolve("pg_dump"), PG15_BIN.resolve("pg_restore"),
                        PG15_BIN.resolve("pg_dumpall"), PG15_BIN.resolve("psql"));
        assertThat(tools.version().majorRelease()).isEqualTo(PgVersion.of(15));
        assertThat(tools.compressionFor(null)).isEmpty(); // pg_dump 15: gzip, its default for -Fd
    }

    @Test
    void aTooOldPgDumpIsRefusedWithOneClearLine() throws IOException {
        Path bin = fakeBin("9.5.25", ToolLocator.TOOLS);

        ClientTools tools = new ToolLocator(runner, "", null).locate(bin);

        assertThat(tools.pgDump().version()).isEqualTo(PgVersion.parse("9.5"));
        assertThatThrownBy(() -> tools.requireCanDump(PgVersion.of(15)))
                .isInstanceOf(MigrationException.class)
                .hasMessage("pg_dump 9.5 cannot dump the PostgreSQL 15 source server (pg_dump must be as new as the"
                        + " server or newer); install postgresql-client-15 or newer, or pass --pg-bin DIR")
                .extracting(e -> ((MigrationException) e).exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
    }

    @Test
    void everyToolMustBeInThePgBinDirectory() throws IOException {
        Path bin = fakeBin("15.18", List.of("pg_dump", "pg_restore", "pg_dumpall"));

        assertThatThrownBy(() -> new ToolLocator(runner).locate(bin))
                .isInstanceOf(MigrationException.class)
                .hasMessage("psql not found in --pg-bin " + bin + "; it must hold pg_dump, pg_restore, pg_dumpall and"
                        + " psql of one PostgreSQL version");
        assertThatThrownBy(() -> new ToolLocator(runner).locate(dir.resolve("nope")))
                .hasMessage("--pg-bin " + dir.resolve("nope") + " is not a directory");
    }

    @Test
    void saysWhatToInstallWhenNothingIsFound() {
        assertThatThrownBy(() -> new ToolLocator(runner, dir.toString(), dir).locate(null))
                .isInstanceOf(MigrationException.class)
                .hasMessage("pg_dump not found in PATH nor in " + dir + "/*/bin; install postgresql-client-NN"
                        + " (NN: the source server's major version or newer) or pass --pg-bin DIR")
                .extracting(e -> ((MigrationException) e).exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
    }

    @Test
    void refusesToolsOfDifferentVersions() throws IOException {
        Path bin = fakeBin("16.4", List.of("pg_dump"));

        assertThatThrownBy(() -> new ToolLocator(runner, bin + File.pathSeparator + PG15_BIN, null).locate(null))
                .isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("client tools of different versions: pg_dump 16.4 (" + bin.resolve("pg_dump")
                        + ") but pg_restore 15.");
    }

    @Test
    void picksTheNewestVersionedDirectory() throws IOException {
        Path root = dir.resolve("postgresql");
        for (String version : List.of("9.6", "12", "10")) {
            Files.createDirectories(root.resolve(version));
            Path bin = fakeBin(version + ".3", ToolLocator.TOOLS);
            Files.move(bin, root.resolve(version).resolve("bin"));
        }

        ClientTools tools = new ToolLocator(runner, "", root).locate(null);

        assertThat(tools.pgDump().path()).isEqualTo(root.resolve("12/bin/pg_dump"));
        assertThat(tools.version()).isEqualTo(PgVersion.of(12, 3));
    }

    /** A directory of shell scripts that print "NAME (PostgreSQL) VERSION" for --version. */
    private Path fakeBin(String version, List<String> names) throws IOException {
        Path bin = Files.createTempDirectory(dir, "bin");
        for (String name : names) {
            Path script = bin.resolve(name);
            Files.writeString(script, "#!/bin/sh\necho '" + name + " (PostgreSQL) " + version + "'\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return bin;
    }
}
