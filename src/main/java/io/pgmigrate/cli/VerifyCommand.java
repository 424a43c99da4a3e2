package io.pgmigrate.cli;

import io.pgmigrate.ExitCode;
import io.pgmigrate.MigrationException;
import io.pgmigrate.config.Limits;
import io.pgmigrate.pipeline.DatabaseSelection;
import io.pgmigrate.pipeline.ServerChecks;
import io.pgmigrate.postgres.Catalog;
import io.pgmigrate.postgres.Connections;
import io.pgmigrate.postgres.DatabaseInfo;
import io.pgmigrate.postgres.PostgresErrors;
import io.pgmigrate.verify.RowCheck;
import io.pgmigrate.verify.VerificationReport;
import io.pgmigrate.verify.VerificationRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pg-migrate verify}: proves a target equal to its source, without migrating anything. */
@Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Compares a target with its source and reports every difference: global objects (roles, "
                + "memberships, role settings), each database's properties (encoding, locale, owner, privileges, "
                + "settings, comment, connection limit), its objects (schemas, tables, columns, indexes, "
                + "constraints, views, functions, triggers, sequences and their values, types, extensions, "
                + "policies, privileges, publications, subscriptions, large objects) and the rows of every table.",
                "Exit code 0 when the target equals the source, 7 when it differs."})
public final class VerifyCommand implements Callable<Integer> {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(VerifyCommand.class);
    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Option(names = "--verify", defaultValue = "checksum",
            description = "Rows: checksum (every row, order-independent) or count (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--verify-concurrency", defaultValue = "16",
            description = "Table queries in flight on both servers together (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--include-db", paramLabel = "PATTERN", description = "Only databases matching (* and ?). Repeatable.")
    List<String> include = new ArrayList<>();

    @Option(names = "--exclude-db", paramLabel = "PATTERN", description = "Leave out databases matching. Repeatable.")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON to this file.")
    Path json;

    @Mixin
    OutputOptions output = new OutputOptions();

    @Override
    public Integer call() throws InterruptedException {
        output.apply();
        RowCheck rowCheck = RowCheck.parse("--verify", mode);
        Limits.requireKnob("--verify-concurrency", concurrency);
        Path report = json == null ? null : writableReport(json);
        var source = connection.source();
        var target = connection.target();
        ServerChecks.requireSuperuser(source, ServerChecks.read(source),
                "verification reads the roles' password hashes and every object of every owner");
        if (!ServerChecks.read(target).superuser()) {
            // a managed target: what its login may not read is said not compared, or its database not verified
            log.info("the target login {} is not a superuser: the roles' passwords and its own memberships are not "
                    + "compared, and a database with a table or sequence it may not read cannot be verified (grant it "
                    + "their owners' roles for the time of the verification)", target.user());
        }
        List<DatabaseInfo> all;
        try (Connection c = Connections.open(source, source.database())) {
            all = new Catalog(c).databases();
        } catch (SQLException e) {
            throw PostgresErrors.sqlError("listing the source's databases", e);
        }
        List<DatabaseInfo> selected = new DatabaseSelection(include, exclude, source.database()).select(all);
        DatabaseSelection.requireConnectable(selected);
        List<String> databases = selected.stream().map(DatabaseInfo::name).toList();
        VerificationReport verdict = VerificationRun.run(source, target, databases, rowCheck, concurrency, true,
                Map.of());
        System.out.print(verdict.render());
        if (report != null) {
            verdict.write(report);
        }
        return verdict.equal() ? ExitCode.OK.code() : ExitCode.VERIFICATION_FAILED.code();
    }

    /** The --json file, checked before the comparison: its folder is created and must take a file. */
    private static Path writableReport(Path file) {
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir == null || Files.isDirectory(absolute)) {
            throw MigrationException.usage("--json " + file + ": a file to write the report to, not a folder");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw MigrationException.environment("--json " + file + ": cannot create its folder " + dir + " ("
                    + e.getMessage() + "); name a file in a folder you can write to");
        }
        if (!Files.isWritable(dir) || Files.exists(absolute) && !Files.isWritable(absolute)) {
            throw MigrationException.environment("--json " + file + ": cannot write there; name a file in a folder "
                    + "you can write to");
        }
        return absolute;
    }
}
