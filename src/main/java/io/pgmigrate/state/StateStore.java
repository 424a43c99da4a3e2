package io.pgmigrate.state;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pgmigrate.MigrationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two state folders of the reference: {@code pg_migrate_state/} (markers of finished steps, run identity,
 * pending target settings, logs) and {@code pg_verify_state/} (cached counts and verify markers).
 * Every file is written atomically and only after the step it records has taken durable effect.
 */
public final class StateStore {
    public static final String GLOBALS_DONE = "globals.done";

    private static final Logger log = LoggerFactory.getLogger(StateStore.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path migrateDir;
    private final Path verifyDir;
    private final Runnable targetDurable;

    public StateStore(Path migrateDir, Path verifyDir) {
        this(migrateDir, verifyDir, () -> { });
    }

    /**
     * @param targetDurable returns once what the target has committed is on disk: run before a marker that records
     *                      a change on the target ({@link Marker#recordsTargetChange()}, the global objects)
     */
    public StateStore(Path migrateDir, Path verifyDir, Runnable targetDurable) {
        this.migrateDir = migrateDir;
        this.verifyDir = verifyDir;
        this.targetDurable = targetDurable;
        try {
            Files.createDirectories(migrateDir);
            Files.createDirectories(verifyDir);
            Files.createDirectories(logDir());
        } catch (IOException e) {
            throw MigrationException.state("cannot create the state folders " + migrateDir + " and " + verifyDir
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deletes the temp files of atomic writes a killed run left in both folders ({@link AtomicFiles#isTemp}): only
     * those names, only here, and only under the run lock, so no other run is writing them.
     */
    public void removeLeftoverTempFiles() {
        for (Path dir : List.of(migrateDir, verifyDir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(f -> AtomicFiles.isTemp(f.getFileName().toString())
                        && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).toList()) {
                    Files.deleteIfExists(f);
                    log.debug("deleted {}, left by a write an earlier run did not finish", f);
                }
            } catch (IOException e) {
                throw MigrationException.state("cannot clean up " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    public Path migrateDir() {
        return migrateDir;
    }

    public Path verifyDir() {
        return verifyDir;
    }

    public Path logDir() {
        return migrateDir.resolve("logs");
    }

    /** Where a tool's stderr for one database and phase goes, e.g. {@code logs/shop.pg_restore.log}. */
    public Path toolLog(String database, String tool) {
        return logDir().resolve(StateNames.fileSafe(database) + "." + tool + ".log");
    }

    // ---- markers

    public boolean has(String database, Marker marker) {
        return Files.exists(markerPath(database, marker));
    }

    public void mark(String database, Marker marker) {
        if (marker.recordsTargetChange()) {
            targetDurable.run();
        }
        AtomicFiles.write(markerPath(database, marker), new byte[0]);
    }

    /** The databases that have this marker (of the migrate folder). */
    public List<String> databasesMarked(Marker marker) {
        String suffix = "." + marker.suffix();
        try (Stream<Path> files = Files.list(migrateDir)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(suffix) && f.indexOf('.') == f.length() - suffix.length())
                    .map(f -> StateNames.original(f.substring(0, f.length() - suffix.length()))).sorted().toList();
        } catch (IOException e) {
            throw MigrationException.state("cannot list " + migrateDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Records in the database's CREATED marker the OID of the target database this folder created: its markers are
     * about that database, not about one created under its name since (by another run, say).
     */
    public void recordCreatedOid(String database, long oid) {
        AtomicFiles.write(markerPath(database, Marker.CREATED), Long.toString(oid).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The OID {@link #recordCreatedOid} recorded; empty when there is no marker, or one written before CREATE
     * DATABASE ran, or by a version that recorded none.
     */
    public OptionalLong createdOid(String database) {
        Path file = markerPath(database, Marker.CREATED);
        try {
            String oid = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return oid.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(oid));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            throw MigrationException.state("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public void clear(String database, Marker marker) {
        AtomicFiles.delete(markerPath(database, marker));
    }

    public boolean hasGlobal(String name) {
        return Files.exists(migrateDir.resolve(name));
    }

    /** Records a step on the target's global objects (roles, tablespaces) as done. */
    public void markGlobal(String name) {
        targetDurable.run();
        AtomicFiles.write(migrateDir.resolve(name), new byte[0]);
    }

    private Path markerPath(String database, Marker marker) {
        Path dir = marker.inVerifyFolder() ? verifyDir : migrateDir;
        return dir.resolve(StateNames.fileSafe(database) + "." + marker.suffix());
    }

    // ---- cached counts: <db>.src_counts.json, <db>.dst_counts.fast.json, <db>.src_counts.delayed.json ...

    public Optional<Map<String, Long>> counts(String database, String kind) {
        Path file = countsPath(database, kind);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), new TypeReference<TreeMap<String, Long>>() { }));
        } catch (IOException e) {
            throw MigrationException.state("cannot read cached counts " + file + " (delete it to recount): "
                    + e.getMessage(), e);
        }
    }

    public void saveCounts(String database, String kind, Map<String, Long> counts) {
        writeJson(countsPath(database, kind), new TreeMap<>(counts));
    }

    public void clearCounts(String database, String kind) {
        AtomicFiles.delete(countsPath(database, kind));
    }

    private Path countsPath(String database, String kind) {
        return verifyDir.resolve(StateNames.fileSafe(database) + "." + kind + ".json");
    }

    // ---- small JSON documents in the migrate folder

    public <T> Optional<T> readJson(String name, Class<T> type) {
        Path file = migrateDir.resolve(name);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), type));
        } catch (IOException e) {
            throw MigrationException.state("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public void writeJson(String name, Object value) {
        writeJson(migrateDir.resolve(name), value);
    }

    public void deleteJson(String name) {
        AtomicFiles.delete(migrateDir.resolve(name));
    }

    private static void writeJson(Path file, Object value) {
        try {
            AtomicFiles.write(file, JSON.writeValueAsBytes(value));
        } catch (IOException e) {
            throw MigrationException.state("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
