package io.pgmigrate.pipeline;

import io.pgmigrate.MigrationException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One {@code --delay-table-data} value: {@code DATABASE.TABLE} or {@code DATABASE.SCHEMA.TABLE}, written the way
 * PostgreSQL writes names: parts are separated by dots; an unquoted part is folded to lower case and may hold the
 * wildcards {@code *} and {@code ?}; a double-quoted part is taken literally (case, dots, spaces, {@code *}), with
 * {@code ""} standing for one quote. The database part names one database (no wildcards); without a schema part the
 * table pattern matches in every schema.
 *
 * <p>Examples: {@code analytics.events}, {@code warehouse.fact_*}, {@code mydb.public.events_2024_*},
 * {@code "My DB"."Sales Schema"."Fact.Table"}, {@code shop."Events*"} (a table literally named {@code Events*}).
 */
public record TablePattern(String text, String database, Pattern schema, Pattern table, String pgDumpPattern) {

    public static TablePattern parse(String text) {
        List<Part> parts = split(text);
        if (parts.size() < 2 || parts.size() > 3) {
            throw MigrationException.usage("--delay-table-data " + text + ": expected DATABASE.TABLE or "
                    + "DATABASE.SCHEMA.TABLE (quote names that hold dots: \"my.db\".events)");
        }
        Part db = parts.get(0);
        if (db.hasWildcard) {
            throw MigrationException.usage("--delay-table-data " + text + ": the database part cannot hold "
                    + "wildcards; name one database per pattern");
        }
        for (Part p : parts) {
            if (p.regex.isEmpty()) {
                throw MigrationException.usage("--delay-table-data " + text + ": an empty name part");
            }
        }
        Pattern schema = parts.size() == 3 ? Pattern.compile(parts.get(1).regex, Pattern.DOTALL) : null;
        Part table = parts.get(parts.size() - 1);
        return new TablePattern(text, db.literal, schema, Pattern.compile(table.regex, Pattern.DOTALL),
                (schema == null ? "*" : parts.get(1).pgDump) + "." + table.pgDump);
    }

    public boolean matches(String schemaName, String tableName) {
        return (schema == null || schema.matcher(schemaName).matches()) && table.matcher(tableName).matches();
    }

    /** {@code pgDump}: the part in pg_dump's pattern language, meaning the same names (see {@link PgDumpText}). */
    private record Part(String regex, String literal, boolean hasWildcard, String pgDump) {
    }

    private static List<Part> split(String text) {
        List<Part> parts = new ArrayList<>();
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        PgDumpText pgDump = new PgDumpText();
        boolean wildcard = false;
        boolean quoted = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (quoted) {
                if (cp == '"') {
                    if (next < text.length() && text.charAt(next) == '"') {
                        appendLiteral(regex, literal, pgDump, '"');
                        next++;
                    } else {
                        quoted = false;
                    }
                } else {
                    appendLiteral(regex, literal, pgDump, cp);
                }
            } else if (cp == '"') {
                quoted = true;
            } else if (cp == '.') {
                parts.add(new Part(regex.toString(), literal.toString(), wildcard, pgDump.end()));
                regex.setLength(0);
                literal.setLength(0);
                wildcard = false;
            } else if (cp == '*' || cp == '?') {
                regex.append(cp == '*' ? ".*" : ".");
                pgDump.wildcard(cp);
                wildcard = true;
            } else {
                // unquoted names fold to lower case, as PostgreSQL folds ASCII letters
                appendLiteral(regex, literal, pgDump, cp >= 'A' && cp <= 'Z' ? cp + ('a' - 'A') : cp);
            }
            i = next;
        }
        if (quoted) {
            throw MigrationException.usage("--delay-table-data " + text + ": unterminated double quote");
        }
        parts.add(new Part(regex.toString(), literal.toString(), wildcard, pgDump.end()));
        return parts;
    }

    private static void appendLiteral(StringBuilder regex, StringBuilder literal, PgDumpText pgDump, int cp) {
        String s = new String(Character.toChars(cp));
        regex.append(Pattern.quote(s));
        literal.append(s);
        pgDump.literal(s);
    }

    /**
     * One part written for pg_dump ({@code processSQLNamePattern}), where an unquoted part folds to lower case, turns
     * {@code *} and {@code ?} into wildcards and passes regular expression characters ({@code [ ] | + ( )} ...) on as
     * such, while double-quoted text is literal: every run of literal characters (already folded here) is written
     * double-quoted, with {@code ""} for a quote, and each wildcard unquoted between them.
     */
    private static final class PgDumpText {
        private final StringBuilder out = new StringBuilder();
        private boolean quoted;

        void literal(String s) {
            if (!quoted) {
                out.append('"');
                quoted = true;
            }
            out.append(s.replace("\"", "\"\""));
        }

        void wildcard(int cp) {
            close();
            out.appendCodePoint(cp);
        }

        String end() {
            close();
            String s = out.toString();
            out.setLength(0);
            return s;
        }

        private void close() {
            if (quoted) {
                out.append('"');
                quoted = false;
            }
        }
    }

    /** pg_dump's pattern for exactly this table: each part double-quoted, so nothing in it is a wildcard. */
    public static String exactPgDumpPattern(String schemaName, String tableName) {
        return '"' + schemaName.replace("\"", "\"\"") + "\".\"" + tableName.replace("\"", "\"\"") + '"';
    }
}
