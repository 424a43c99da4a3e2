package io.pgmigrate.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The warnings a client tool wrote to its stderr log ("pg_dump: warning: WITH OIDS is not supported anymore (table
 * "t")"): things the run did not stop for but the operator should read in the summary.
 */
final class ToolWarnings {
    private ToolWarnings() {
    }

    /** The text of each "tool: warning: ..." line, in order; none when the log is missing or unreadable. */
    static List<String> of(Path logFile, String tool) {
        if (!Files.isRegularFile(logFile)) {
            return List.of();
        }
        try {
            return parse(Files.readString(logFile, StandardCharsets.UTF_8), tool);
        } catch (IOException e) {
            return List.of();
        }
    }

    static List<String> parse(String log, String tool) {
        String prefix = tool + ": warning: ";
        return log.lines().filter(line -> line.startsWith(prefix))
                .map(line -> tool + ": " + line.substring(prefix.length()).strip()).toList();
    }
}
