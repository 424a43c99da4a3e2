package io.pgmigrate.process;

import io.pgmigrate.MigrationException;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pg_dump arguments for a compression choice, in the form the given pg_dump understands.
 *
 * <p>Choices: {@code auto} (or null/blank), {@code none}, a level {@code 0}-{@code 9}, {@code gzip[:level]},
 * {@code lz4[:detail]}, {@code zstd[:detail]}. {@code auto} is zstd level 5 from pg_dump 16 on (faster and smaller
 * than gzip) and pg_dump's own default before (gzip, for the directory format). Before 16 pg_dump only knows gzip
 * levels ({@code --compress=0..9}); lz4 and zstd are refused there with a clear message. From 16 on an explicit
 * choice is passed through as {@code --compress=<choice>}.
 */
public final class DumpCompression {

    public static final String AUTO = "auto";

    private static final Pattern CHOICE = Pattern.compile("(none|gzip|lz4|zstd|\\d+)(?::(.+))?");

    private DumpCompression() {
    }

    public static List<String> argsFor(PgVersion pgDump, String choice) {
        String value = choice == null ? AUTO : choice.strip().toLowerCase(Locale.ROOT);
        if (value.isEmpty() || value.equals(AUTO)) {
            return pgDump.isAtLeast(16) ? List.of("--compress=zstd:5") : List.of();
        }
        Matcher m = CHOICE.matcher(value);
        if (!m.matches()) {
            throw unknown(choice);
        }
        String method = m.group(1);
        String detail = m.group(2);
        if (Character.isDigit(method.charAt(0))) {
            if (detail != null) {
                throw unknown(choice);
            }
            return List.of("--compress=" + gzipLevel(method, choice));
        }
        if (pgDump.isAtLeast(16)) {
            return List.of("--compress=" + value);
        }
        switch (method) {
            case "none":
                if (detail != null) {
                    throw unknown(choice);
                }
                return List.of("--compress=0");
            case "gzip":
                return detail == null ? List.of() : List.of("--compress=" + gzipLevel(detail, choice));
            default:
                throw MigrationException.environment("compression " + method + " needs pg_dump 16 or newer and this pg_dump "
                        + "is " + pgDump + "; choose gzip[:level] or none, or install postgresql-client-16 or newer");
        }
    }

    /** "5" or "level=5", 0 to 9. */
    private static int gzipLevel(String text, String choice) {
        String digits = text.startsWith("level=") ? text.substring("level=".length()) : text;
        try {
            int level = Integer.parseInt(digits);
            if (level >= 0 && level <= 9) {
                return level;
            }
        } catch (NumberFormatException e) {
            // falls through to the message
        }
        throw MigrationException.usage("gzip compression level must be 0 to 9, not '" + choice + "'");
    }

    private static MigrationException unknown(String choice) {
        return MigrationException.usage("unknown compression '" + choice
                + "'; use auto, none, 0-9, gzip[:level], lz4[:level] or zstd[:level]");
    }
}
