package io.pgmigrate.report;

import io.pgmigrate.pipeline.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** What happened to one database: filled in by its pipeline, read by the summary. Thread-safe. */
public final class DatabaseReport {
    private final String name;
    private final long sizeBytes;
    private DatabaseStatus status = DatabaseStatus.PENDING;
    private int tables = -1;
    private long rows = -1;
    private final Map<Phase, Duration> durations = new EnumMap<>(Phase.class);
    private final Map<Phase, Boolean> resumed = new EnumMap<>(Phase.class);
    private final List<String> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private long startedNanos;
    private Duration total;
    private Duration regular;

    public DatabaseReport(String name, long sizeBytes) {
        this.name = name;
        this.sizeBytes = sizeBytes;
    }

    public String name() {
        return name;
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    public synchronized void started() {
        status = DatabaseStatus.RUNNING;
        startedNanos = System.nanoTime();
    }

    public synchronized void finished(DatabaseStatus finalStatus) {
        status = finalStatus;
        if (startedNanos != 0) {
            total = Duration.ofNanos(System.nanoTime() - startedNanos);
        }
    }

    /** The database is usable on the target: restored and verified (its delayed tables may still be loading). */
    public synchronized void regularDone() {
        regular = Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    public synchronized Duration regular() {
        return regular;
    }

    /** The final verification found differences in a database its pipeline had finished. */
    public synchronized void differs() {
        status = DatabaseStatus.VERIFY_FAILED;
    }

    public synchronized DatabaseStatus status() {
        return status;
    }

    public synchronized void phase(Phase phase, Duration took) {
        durations.put(phase, took);
    }

    /** The phase was done by an earlier run and skipped now. */
    public synchronized void resumedPast(Phase phase) {
        resumed.put(phase, true);
    }

    public synchronized Duration duration(Phase phase) {
        return durations.get(phase);
    }

    public synchronized boolean wasResumed(Phase phase) {
        return resumed.getOrDefault(phase, false);
    }

    public synchronized Duration total() {
        return total;
    }

    public synchronized void counted(int tableCount, long rowCount) {
        this.tables = tableCount;
        this.rows = rowCount;
    }

    public synchronized int tables() {
        return tables;
    }

    public synchronized long rows() {
        return rows;
    }

    public synchronized void error(String message) {
        errors.add(message);
    }

    public synchronized void warning(String message) {
        warnings.add(message);
    }

    public synchronized List<String> errors() {
        return Collections.unmodifiableList(new ArrayList<>(errors));
    }

    public synchronized List<String> warnings() {
        return Collections.unmodifiableList(new ArrayList<>(warnings));
    }
}
