package io.pgmigrate.cli;

import io.pgmigrate.MigrationException;
import io.pgmigrate.config.Limits;
import io.pgmigrate.pipeline.GlobPattern;
import io.pgmigrate.config.TransferOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** How the migration runs: parallelism, state, behaviour. Names and defaults follow the reference tool. */
public final class RunOptions {
    static final List<String> KNOBS = List.of("--dump-jobs", "--restore-jobs", "--max-parallel", "--dump-parallel",
            "--restore-parallel", "--verify-concurrency", "--table-jobs");

    @Option(names = "--dump-jobs", defaultValue = "24", description = "pg_dump -j per database (default: ${DEFAULT-VALUE}).")
    int dumpJobs;

    @Option(names = "--restore-jobs", defaultValue = "12",
            description = "pg_restore -j per database; also bounds parallel ANALYZE per database (default: ${DEFAULT-VALUE}).")
    int restoreJobs;

    @Option(names = {"-p", "--max-parallel"}, defaultValue = "6",
            description = "Databases dumped and restored at once; split into source-side and target-side slots "
                    + "so one database's dump overlaps another's restore (default: ${DEFAULT-VALUE}).")
    int maxParallel;

    @Option(names = "--dump-parallel", description = "Source-side slots: databases dumped at once (default: --max-parallel).")
    Integer dumpParallel;

    @Option(names = "--restore-parallel", description = "Target-side slots: databases restored at once (default: --max-parallel).")
    Integer restoreParallel;

    @Option(names = "--verify-concurrency", defaultValue = "16",
            description = "Count queries in flight across all databases and both servers (default: ${DEFAULT-VALUE}).")
    int verifyConcurrency;

    @Option(names = "--dump-root", description = "Folder for the dumps (default: $HOME/pg_dumps).")
    Path dumpRoot;

    @Option(names = "--state-dir",
            description = "Folder holding pg_migrate_state/ and pg_verify_state/ (default: $HOME).")
    Path stateDir;

    @Option(names = "--migrate-globals", arity = "0..1", defaultValue = "true", fallbackValue = "true",
            description = "Migrate roles, memberships and tablespaces with pg_dumpall --globals-only (default: ${DEFAULT-VALUE}).")
    boolean migrateGlobals;

    @Option(names = "--disable-dst-optimizations",
            description = "Do not turn synchronous_commit off or raise maintenance_work_mem on the target during the run (fsync and full_page_writes are never turned off).")
    boolean disableDstOptimizations;

    @Option(names = "--fast-verify",
            description = "Compare pg_class.reltuples estimates instead of exact counts; mismatches are warnings.")
    boolean fastVerify;

    @Option(names = "--verify", defaultValue = "count",
            description = "How rows are proven equal: count (exact counts per table, as the reference) or checksum "
                    + "(also a checksum of every row, after the migration). Objects, database properties and global "
                    + "objects are compared after the migration either way (default: ${DEFAULT-VALUE}).")
    String verify;

    @Option(names = "--no-tablespaces",
            description = "Create none of the source's tablespaces; restore every object into the target's default.")
    boolean noTablespaces;

    @Option(names = "--tablespace-location", paramLabel = "NAME=DIR",
            description = "Create the source's tablespace NAME in DIR on the target (default: the source's location). "
                    + "Repeatable.")
    java.util.Map<String, String> tablespaceLocations = new java.util.LinkedHashMap<>();

    @Option(names = "--skip-analyze", description = "Do not ANALYZE each target database after its restore.")
    boolean skipAnalyze;

    @Option(names = "--delay-table-data", paramLabel = "DATABASE.[SCHEMA.]TABLE_PATTERN",
            description = "Load these tables' data after everything else is restored and verified, with their "
                    + "secondary indexes dropped for the load and rebuilt in parallel after it. Repeatable; * and ? "
                    + "in the schema and table parts; unquoted names fold to lower case, double-quote the others "
                    + "(\"My DB\".\"Events\").")
    List<String> delayTableData = new ArrayList<>();

    @Option(names = "--allow-unmatched-delay",
            description = "A --delay-table-data pattern that names no migrated database or matches no table is a "
                    + "warning instead of an error.")
    boolean allowUnmatchedDelay;

    @Option(names = "--include-db", paramLabel = "PATTERN", converter = DatabasePattern.class,
            description = "Migrate only source databases matching this pattern (* and ?). Repeatable.")
    List<String> includeDatabases = new ArrayList<>();

    @Option(names = "--exclude-db", paramLabel = "PATTERN", converter = DatabasePattern.class,
            description = "Leave out source databases matching this pattern (* and ?). Repeatable.")
    List<String> excludeDatabases = new ArrayList<>();

    @Option(names = "--pg-bin", paramLabel = "DIR",
            description = "Folder holding pg_dump, pg_restore, pg_dumpall and psql (default: PATH).")
    Path pgBin;

    @Option(names = "--compress", defaultValue = "auto",
            description = "pg_dump compression: auto (zstd:5 with pg_dump 16+, else gzip), none, or a pg_dump "
                    + "--compress value (default: ${DEFAULT-VALUE}).")
    String compression;

    /**
     * Checks a database pattern while the command line is parsed, so a bad one (an empty string, say) is a usage
     * error before the run connects anywhere or creates its state folder.
     */
    static final class DatabasePattern implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                return GlobPattern.of(value).text();
            } catch (MigrationException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    @Option(names = "--mode", defaultValue = "stream", paramLabel = "stream|dump",
            description = "How table data moves: stream (schema through pg_dump/pg_restore, table data piped COPY to "
                    + "COPY between the servers, indexes built as each table lands, no data files) or dump "
                    + "(pg_dump -Fd -j to --dump-root, kept after the run, then pg_restore -j) "
                    + "(default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--table-jobs",
            description = "Stream mode: copy workers for the whole run; every database's tables wait in one queue, "
                    + "largest first (default: --restore-parallel × --restore-jobs, lowered to fit the servers' "
                    + "connections).")
    Integer tableJobs;

    @Option(names = "--index-jobs",
            description = "Stream mode: index builds at once for the whole run, with the steps that finish a table "
                    + "(constraints attached, VACUUM/ANALYZE, foreign keys); each database still runs at most "
                    + "--restore-jobs of them (default: --restore-parallel × --restore-jobs).")
    Integer indexJobs;

    @Option(names = "--copy-format", defaultValue = "auto", paramLabel = "auto|text|binary",
            description = "Stream mode: COPY format; auto is binary for tables whose columns are all of built-in "
                    + "types, text for the others (default: ${DEFAULT-VALUE}).")
    String copyFormat;

    @Option(names = "--split-tables-larger-than", defaultValue = "128MB", paramLabel = "SIZE",
            description = "Stream mode: a table of at least SIZE is copied in ranges of about half that size by "
                    + "several --table-jobs at once: ranges of its integer primary key, else (sources 14+, which have "
                    + "TID range scans) of its blocks by ctid; 0 never splits (default: ${DEFAULT-VALUE}).")
    String splitTablesLargerThan;

    TransferOptions transfer() {
        return new TransferOptions(TransferOptions.Mode.parse(mode), tableJobs,
                TransferOptions.CopyFormat.parse(copyFormat), TransferOptions.parseSize(splitTablesLargerThan),
                indexJobs);
    }

    Limits limits() {
        // checked here, or Limits would name --dump-parallel, which the user did not give
        Limits.requireKnob("-p/--max-parallel", maxParallel);
        return new Limits(dumpJobs, restoreJobs, dumpParallel != null ? dumpParallel : maxParallel,
                restoreParallel != null ? restoreParallel : maxParallel, verifyConcurrency);
    }
}
