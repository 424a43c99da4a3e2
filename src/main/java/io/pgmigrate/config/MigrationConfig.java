package io.pgmigrate.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything one migration run needs, validated and immutable.
 *
 * @param explicitKnobs     the parallelism options the user set (command line or environment): the connection
 *                          budget may scale the others down, never these
 * @param includeDatabases  glob patterns of source databases to migrate (empty: every user database)
 * @param excludeDatabases  glob patterns of source databases to leave out
 * @param compression       "auto" or a pg_dump compression value
 * @param noTablespaces     create no tablespace; restore every object into the target's default tablespace
 * @param tablespaceLocations where to create a source tablespace on the target, by name (default: its location)
 * @param checksumVerify    after the migration, compare a checksum of every row (not only the counts)
 * @param allowUnmatchedDelay a --delay-table-data pattern that matches nothing is a warning, not an error
 * @param transfer          how table data moves (--mode) and the stream mode's knobs
 */
public record MigrationConfig(
        Endpoint source,
        Endpoint target,
        Limits limits,
        Set<String> explicitKnobs,
        Path dumpRoot,
        Path migrateStateDir,
        Path verifyStateDir,
        boolean migrateGlobals,
        boolean targetOptimizations,
        boolean fastVerify,
        boolean analyze,
        List<String> delayTableData,
        boolean allowUnmatchedDelay,
        List<String> includeDatabases,
        List<String> excludeDatabases,
        Optional<Path> pgBin,
        String compression,
        boolean checksumVerify,
        boolean noTablespaces,
        java.util.Map<String, String> tablespaceLocations,
        TransferOptions transfer) {

    public MigrationConfig {
        delayTableData = List.copyOf(delayTableData);
        includeDatabases = List.copyOf(includeDatabases);
        excludeDatabases = List.copyOf(excludeDatabases);
        explicitKnobs = Set.copyOf(explicitKnobs);
        tablespaceLocations = java.util.Map.copyOf(tablespaceLocations);
        transfer = transfer != null ? transfer : TransferOptions.defaults();
    }

    public MigrationConfig withLimits(Limits newLimits) {
        return new MigrationConfig(source, target, newLimits, explicitKnobs, dumpRoot, migrateStateDir,
                verifyStateDir, migrateGlobals, targetOptimizations, fastVerify, analyze, delayTableData,
                allowUnmatchedDelay, includeDatabases, excludeDatabases, pgBin, compression, checksumVerify,
                noTablespaces, tablespaceLocations, transfer);
    }

    public MigrationConfig withTransfer(TransferOptions newTransfer) {
        return new MigrationConfig(source, target, limits, explicitKnobs, dumpRoot, migrateStateDir,
                verifyStateDir, migrateGlobals, targetOptimizations, fastVerify, analyze, delayTableData,
                allowUnmatchedDelay, includeDatabases, excludeDatabases, pgBin, compression, checksumVerify,
                noTablespaces, tablespaceLocations, newTransfer);
    }
}
