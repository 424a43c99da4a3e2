package io.pgmigrate.config;

import io.pgmigrate.MigrationException;
import java.util.Locale;

/**
 * How table data moves from the source to the target ({@code --mode}), and the stream mode's knobs.
 *
 * @param mode       dump (pg_dump -Fd to files, pg_restore from them) or stream (COPY piped from server to server)
 * @param tableJobs  stream mode: tables copied at once per database; null means "as many as --restore-jobs"
 * @param copyFormat stream mode: COPY format; auto is binary for tables whose column types all have a stable
 *                   binary form (built-in types), text otherwise
 */
public record TransferOptions(Mode mode, Integer tableJobs, CopyFormat copyFormat) {

    /** The way data moves. */
    public enum Mode {
        DUMP, STREAM;

        public static Mode parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw MigrationException.usage("--mode must be dump or stream (got " + text + ")");
            }
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The COPY format of stream mode. */
    public enum CopyFormat {
        AUTO, TEXT, BINARY;

        public static CopyFormat parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw MigrationException.usage("--copy-format must be auto, text or binary (got " + text + ")");
            }
        }
    }

    public TransferOptions {
        if (mode == null) {
            mode = Mode.DUMP;
        }
        if (copyFormat == null) {
            copyFormat = CopyFormat.AUTO;
        }
        if (tableJobs != null && tableJobs < 1) {
            throw MigrationException.usage("--table-jobs must be at least 1 (got " + tableJobs + ")");
        }
    }

    /** Dump mode, the reference design. */
    public static TransferOptions dump() {
        return new TransferOptions(Mode.DUMP, null, CopyFormat.AUTO);
    }

    public boolean stream() {
        return mode == Mode.STREAM;
    }

    /** Tables copied at once per database: --table-jobs, else --restore-jobs. */
    public int tableJobs(Limits limits) {
        return tableJobs != null ? tableJobs : limits.restoreJobs();
    }

    public TransferOptions withTableJobs(int jobs) {
        return new TransferOptions(mode, jobs, copyFormat);
    }
}
