package io.pgmigrate.cli;

import io.pgmigrate.config.Endpoint;
import io.pgmigrate.config.Limits;
import io.pgmigrate.config.MigrationConfig;
import io.pgmigrate.config.TransferOptions;
import io.pgmigrate.embedded.DemoDataset;
import io.pgmigrate.embedded.EmbeddedServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pg-migrate demo}: starts two throw-away servers (an old source, a new target; binaries from Maven
 * Central), loads a small multi-database sample, migrates it with the real code path (in the default stream mode
 * unless {@code --mode dump}), prints the summary and stops the servers.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Migrate a sample server between two embedded servers this command starts and stops itself.")
public final class DemoCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(DemoCommand.class);

    @Option(names = "--source-version", defaultValue = "12.22.0",
            description = "Source server version (9.6.24, 12.22.0, 15 for Debian's ...; default: ${DEFAULT-VALUE}).")
    String sourceVersion;

    @Option(names = "--target-version", defaultValue = "18.0.0",
            description = "Target server version (default: ${DEFAULT-VALUE}).")
    String targetVersion;

    @Option(names = "--jobs", defaultValue = "2", description = "pg_dump/pg_restore -j, tables copied at once and "
            + "databases at once (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--mode", defaultValue = "stream", paramLabel = "stream|dump",
            description = "How table data moves, as pg-migrate --mode (default: ${DEFAULT-VALUE}, as pg-migrate's).")
    String mode;

    @Mixin
    OutputOptions output = new OutputOptions();

    @Override
    public Integer call() throws IOException {
        output.apply();
        TransferOptions transfer = new TransferOptions(TransferOptions.Mode.parse(mode), null,
                TransferOptions.CopyFormat.AUTO);
        Path work = Files.createTempDirectory("pg-migrate-demo");
        try (EmbeddedServer source = EmbeddedServer.start(sourceVersion, "demo-source-pw", Map.of());
             EmbeddedServer target = EmbeddedServer.start(targetVersion, "demo-target-pw", Map.of())) {
            log.info("demo: source PostgreSQL {} on port {}, target PostgreSQL {} on port {}, {} mode",
                    sourceVersion, source.port(), targetVersion, target.port(), transfer.mode().label());
            DemoDataset.load(source);
            log.info("demo: sample loaded on the source: databases {}", DemoDataset.databases());
            MigrationConfig config = new MigrationConfig(
                    endpoint("source", source), endpoint("target", target),
                    new Limits(jobs, jobs, jobs, jobs, 2 * jobs), Set.of(),
                    work.resolve("pg_dumps"), work.resolve("pg_migrate_state"), work.resolve("pg_verify_state"),
                    // the sample's biggest table goes through the delayed phase, every row is checksummed at the end
                    true, true, false, true, List.of(DemoDataset.SHOP + ".events"), false, List.of(), List.of(),
                    Optional.empty(), "auto", true, false, Map.of(), transfer);
            return MigrateCommand.execute(config, System.out);
        } finally {
            io.pgmigrate.pipeline.DatabasePipeline.deleteRecursively(work);
        }
    }

    private static Endpoint endpoint(String role, EmbeddedServer server) {
        return new Endpoint(role, server.host(), server.port(), server.superuser(), server.password(), "postgres");
    }
}
