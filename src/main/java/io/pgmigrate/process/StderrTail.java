package io.pgmigrate.process;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Reads stderr line by line: appends each line to the log file, keeps the last lines in memory; both with secrets
 * masked ({@link ProcessSpec#maskSecrets}).
 */
final class StderrTail {

    private static final Logger log = LoggerFactory.getLogger(StderrTail.class);

    private final InputStream stream;
    private final ProcessSpec spec;
    private final Deque<String> lines = new ArrayDeque<>();

    StderrTail(InputStream stream, ProcessSpec spec) {
        this.stream = stream;
        this.spec = spec;
    }

    void drain() {
        BufferedWriter logFile = openLog();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                line = ProcessSpec.maskSecrets(line);
                keep(line);
                logFile = append(logFile, line);
            }
        } catch (IOException e) {
            keep("(pg-migrate: reading the stderr of " + spec.tool() + " failed: " + e.getMessage() + ")");
        } finally {
            close(logFile);
        }
    }

    private BufferedWriter openLog() {
        if (spec.stderrLog() == null) {
            return null;
        }
        try {
            return Files.newBufferedWriter(spec.stderrLog(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            log.warn("cannot write the stderr of {} to {}: {}", spec.tool(), spec.stderrLog(), e.getMessage());
            return null;
        }
    }

    /** Appends a line; on failure warns once and writes no more (the tail in memory is kept still). */
    private BufferedWriter append(BufferedWriter logFile, String line) {
        if (logFile == null) {
            return null;
        }
        try {
            logFile.write(line);
            logFile.newLine();
            logFile.flush();
            return logFile;
        } catch (IOException e) {
            log.warn("cannot write the stderr of {} to {}: {}", spec.tool(), spec.stderrLog(), e.getMessage());
            close(logFile);
            return null;
        }
    }

    private void close(BufferedWriter logFile) {
        if (logFile == null) {
            return;
        }
        try {
            logFile.close();
        } catch (IOException e) {
            log.debug("closing {}: {}", spec.stderrLog(), e.getMessage());
        }
    }

    private synchronized void keep(String line) {
        if (lines.size() == ProcessRunner.STDERR_TAIL_LINES) {
            lines.removeFirst();
        }
        lines.addLast(line);
    }

    synchronized List<String> tail() {
        return List.copyOf(lines);
    }
}
