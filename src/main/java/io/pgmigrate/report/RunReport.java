package io.pgmigrate.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The whole run: every database's report, server-wide notes, wall times. Thread-safe. */
public final class RunReport {
    private final long startedNanos = System.nanoTime();
    private final Map<String, DatabaseReport> databases = Collections.synchronizedMap(new java.util.LinkedHashMap<>());
    private final List<String> notes = Collections.synchronizedList(new ArrayList<>());
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private final List<String> differences = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Duration> steps = new ConcurrentHashMap<>();
    private volatile Duration regularPhase;
    private volatile Duration total;

    public DatabaseReport add(String name, long sizeBytes) {
        DatabaseReport report = new DatabaseReport(name, sizeBytes);
        databases.put(name, report);
        return report;
    }

    public List<DatabaseReport> databases() {
        synchronized (databases) {
            return List.copyOf(databases.values());
        }
    }

    /** A server-wide fact the operator should read in the summary (settings fallback, skipped databases ...). */
    public void note(String message) {
        notes.add(message);
    }

    /** A server-wide error that did not stop the run (a global object the target refused, say). */
    public void error(String message) {
        errors.add(message);
    }

    /** A global object that differs between source and target after the migration. */
    public void difference(String message) {
        differences.add(message);
    }

    public List<String> differences() {
        return List.copyOf(differences);
    }

    public List<String> notes() {
        return List.copyOf(notes);
    }

    public List<String> errors() {
        return List.copyOf(errors);
    }

    public void step(String name, Duration took) {
        steps.put(name, took);
    }

    public Map<String, Duration> steps() {
        return Map.copyOf(steps);
    }

    /** One more database finished its regular phase; the run's regular phase ends with the last of them. */
    public synchronized void regularDone() {
        regularPhase = elapsed();
    }

    /** The run stopped before every database was usable: there is no regular-phase time to show. */
    public void regularPhaseUnfinished() {
        regularPhase = null;
    }

    public void finished() {
        total = elapsed();
    }

    public Duration regularPhase() {
        return regularPhase;
    }

    public Duration total() {
        return total != null ? total : elapsed();
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
