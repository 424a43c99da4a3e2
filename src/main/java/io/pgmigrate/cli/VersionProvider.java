package io.pgmigrate.cli;

import io.pgmigrate.MigrationException;
import io.pgmigrate.process.ChildProcesses;
import io.pgmigrate.process.ProcessRunner;
import io.pgmigrate.process.ToolLocator;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the tool's version and the client tools it would use. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = MigrateCommand.class.getPackage().getImplementationVersion();
        String tools;
        try {
            tools = new ToolLocator(new ProcessRunner(new ChildProcesses(null))).locate(null).describe();
        } catch (MigrationException e) {
            tools = e.getMessage();
        }
        return new String[] {"pg-migrate " + (version == null ? "(development build)" : version), tools};
    }
}
