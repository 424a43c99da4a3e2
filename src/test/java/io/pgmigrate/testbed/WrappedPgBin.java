package io.pgmigrate.testbed;

import io.pgmigrate.process.ChildProcesses;
import io.pgmigrate.process.ClientTools;
import io.pgmigrate.process.ProcessRunner;
import io.pgmigrate.process.ToolLocator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A {@code --pg-bin} folder of the machine's real client tools, one of them wrapped in a bash script of a test's own
 * (to fail, or to linger, on purpose): the others are links to the real ones.
 */
public final class WrappedPgBin {
    private WrappedPgBin() {
    }

    /**
     * @param dir     the folder to create
     * @param wrapped the tool to wrap: pg_dump, pg_restore, pg_dumpall or psql
     * @param body    the script's lines after {@code #!/bin/bash}, given the real tool's path
     */
    public static Path create(Path dir, String wrapped, Function<Path, List<String>> body) throws IOException {
        ClientTools tools = new ToolLocator(new ProcessRunner(new ChildProcesses(null))).locate(null);
        Path bin = Files.createDirectories(dir);
        for (ClientTools.Tool tool : List.of(tools.pgDump(), tools.pgRestore(), tools.pgDumpall(), tools.psql())) {
            Path file = bin.resolve(tool.name());
            if (!tool.name().equals(wrapped)) {
                Files.createSymbolicLink(file, tool.path());
                continue;
            }
            List<String> lines = new ArrayList<>(List.of("#!/bin/bash"));
            lines.addAll(body.apply(tool.path()));
            lines.add("");
            Files.writeString(file, String.join("\n", lines));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        if (!Files.isExecutable(bin.resolve(wrapped))) {
            throw new IllegalArgumentException("not a client tool: " + wrapped);
        }
        return bin;
    }
}
