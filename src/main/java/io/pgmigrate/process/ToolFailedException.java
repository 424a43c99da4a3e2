package io.pgmigrate.process;

import io.pgmigrate.ExitCode;
import io.pgmigrate.MigrationException;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A client tool (pg_dump, pg_restore, pg_dumpall, psql) ended with a non-zero exit code. The message is one line:
 * {@code pg_dump failed (exit 1): pg_dump: error: connection to server ... failed}, with the server's hint where
 * libpq put one on the next line ({@code ...: ERROR:  out of shared memory; HINT: You might need to increase
 * max_locks_per_transaction.}); the last stderr lines are kept for the log and the state folder.
 */
public class ToolFailedException extends MigrationException {

    private static final Pattern ERROR_LINE = Pattern.compile("(?i)\\b(error|fatal|panic):");
    /** libpq's line for the server's hint, under the error it belongs to. */
    private static final Pattern HINT_LINE = Pattern.compile("^HINT:\\s+");

    private final String tool;
    private final int toolExitCode;
    private final List<String> stderrTail;

    public ToolFailedException(String tool, int toolExitCode, List<String> stderrTail) {
        super(ExitCode.DATABASES_FAILED, message(tool, toolExitCode, stderrTail));
        this.tool = tool;
        this.toolExitCode = toolExitCode;
        this.stderrTail = List.copyOf(stderrTail);
    }

    public String tool() {
        return tool;
    }

    /** The tool's own exit code (not the exit code of pg-migrate, which is {@link #exitCode()}). */
    public int toolExitCode() {
        return toolExitCode;
    }

    public List<String> stderrTail() {
        return stderrTail;
    }

    /**
     * The line that best says what went wrong: the last one that reads like an error ("pg_dump: error: ...",
     * "ERROR:  ...", "FATAL: ..."), else the last non-blank line, else null.
     */
    public static String lastErrorLine(List<String> stderr) {
        String lastNonBlank = null;
        for (int i = stderr.size() - 1; i >= 0; i--) {
            String line = stderr.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            if (ERROR_LINE.matcher(line).find()) {
                return withHint(line, stderr.subList(i + 1, stderr.size()));
            }
            if (lastNonBlank == null) {
                lastNonBlank = line;
            }
        }
        return lastNonBlank;
    }

    /** The error line, and what to do where the server said so on the line after it. */
    private static String withHint(String error, List<String> after) {
        if (after.isEmpty()) {
            return error;
        }
        var hint = HINT_LINE.matcher(after.get(0).strip());
        return hint.find() ? error + "; HINT: " + after.get(0).strip().substring(hint.end()) : error;
    }

    private static String message(String tool, int exitCode, List<String> stderrTail) {
        String line = lastErrorLine(stderrTail);
        return tool + " failed (exit " + exitCode + ")" + (line == null ? " with no error output" : ": " + line);
    }
}
