package io.pgmigrate.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the errors out of a pg_restore log ("pg_restore: error: ..." and the "Command was:" that follows). */
final class RestoreLog {
    private RestoreLog() {
    }

    static List<String> errors(Path logFile) {
        List<String> lines;
        try {
            lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of("cannot read " + logFile + ": " + e.getMessage());
        }
        List<String> errors = new ArrayList<>();
        for (String line : lines) {
            int at = line.indexOf("error: ");
            if (line.startsWith("pg_restore:") && at >= 0) {
                errors.add(line.substring(at + "error: ".length()).strip());
            }
        }
        return errors;
    }
}
