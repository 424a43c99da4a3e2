package io.pgmigrate.config;

import io.pgmigrate.MigrationException;
import java.util.Locale;

/**
 * How table data moves from the source to the target ({@code --mode}), and the stream mode's knobs.
 *
 * @param mode       stream (the default: COPY piped from server to server) or dump (pg_dump -Fd to files,
 *                   pg_restore from them)
 * @param tableJobs  stream mode: copy workers for the whole run, every database's tables in one queue; null means
 *                   restore_parallel × restore_jobs
 * @param copyFormat stream mode: COPY format; auto is binary for tables whose column types all have a stable
 *                   binary form (built-in types), text otherwise
 * @param splitBytes stream mode: tables of at least this size are copied in ranges (of an integer primary key, else
 *                   of blocks on sources 14+) of about half this size, several at once; 0 never splits
 * @param indexJobs  stream mode: index builds (and the other steps that finish a table) at once for the whole run;
 *                   null means restore_parallel × restore_jobs
 */
public record TransferOptions(Mode mode, Integer tableJobs, CopyFormat copyFormat, long splitBytes,
                              Integer indexJobs) {

    /** The default --split-tables-larger-than. */
    public static final long DEFAULT_SPLIT_BYTES = 128L << 20;

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
            mode = Mode.STREAM;
        }
        if (copyFormat == null) {
            copyFormat = CopyFormat.AUTO;
        }
        if (tableJobs != null) {
            Limits.requireKnob("--table-jobs", tableJobs);
        }
        if (splitBytes < 0) {
            throw MigrationException.usage("--split-tables-larger-than must not be negative");
        }
        if (indexJobs != null) {
            Limits.requireKnob("--index-jobs", indexJobs);
        }
    }

    public TransferOptions(Mode mode, Integer tableJobs, CopyFormat copyFormat) {
        this(mode, tableJobs, copyFormat, DEFAULT_SPLIT_BYTES, null);
    }

    /** The default: stream mode with its default knobs. */
    public static TransferOptions defaults() {
        return new TransferOptions(Mode.STREAM, null, CopyFormat.AUTO);
    }

    /** Dump mode, the reference design. */
    public static TransferOptions dump() {
        return new TransferOptions(Mode.DUMP, null, CopyFormat.AUTO);
    }

    /** "128MB", "1GB", "512kB", "0" (bytes without a unit), case-insensitive. */
    public static long parseSize(String text) {
        var m = java.util.regex.Pattern.compile("(?i)\\s*(\\d+)\\s*(|b|kb|mb|gb|tb)\\s*").matcher(text);
        if (!m.matches()) {
            throw MigrationException.usage("--split-tables-larger-than takes a size such as 128MB or 2GB (got "
                    + text + ")");
        }
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "kb" -> 10;
            case "mb" -> 20;
            case "gb" -> 30;
            case "tb" -> 40;
            default -> 0;
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), 1L << shift);
        } catch (ArithmeticException | NumberFormatException e) {
            throw MigrationException.usage("--split-tables-larger-than is too large: " + text);
        }
    }

    public boolean stream() {
        return mode == Mode.STREAM;
    }

    /**
     * Copies at once, all databases together: --table-jobs, else --restore-parallel × --restore-jobs (as many as
     * the per-database copies of earlier versions could run at once; the connection budget scales it down).
     */
    public int tableJobs(Limits limits) {
        return tableJobs != null ? tableJobs : limits.restoreParallel() * limits.restoreJobs();
    }

    public TransferOptions withTableJobs(int jobs) {
        return new TransferOptions(mode, jobs, copyFormat, splitBytes, indexJobs);
    }

    /**
     * Index builds at once, all databases together: --index-jobs, else --restore-parallel × --restore-jobs (each
     * database builds at most --restore-jobs at once, on connections the budget counts already).
     */
    public int indexJobs(Limits limits) {
        return indexJobs != null ? indexJobs : limits.restoreParallel() * limits.restoreJobs();
    }
}
