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
public record TablePattern(String text, String database, Pattern schema, Pattern table) {

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
        return new TablePattern(text, db.literal, schema, Pattern.compile(parts.get(parts.size() - 1).regex,
                Pattern.DOTALL));
    }

    public boolean matches(String schemaName, String tableName) {
        return (schema == null || schema.matcher(schemaName).matches()) && table.matcher(tableName).matches();
    }

    private record Part(String regex, String literal, boolean hasWildcard) {
    }

    private static List<Part> split(String text) {
        List<Part> parts = new ArrayList<>();
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        boolean wildcard = false;
        boolean quoted = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (quoted) {
                if (cp == '"') {
                    if (next < text.length() && text.charAt(next) == '"') {
                        appendLiteral(regex, literal, '"');
                        next++;
                    } else {
                        quoted = false;
                    }
                } else {
                    appendLiteral(regex, literal, cp);
                }
            } else if (cp == '"') {
                quoted = true;
            } else if (cp == '.') {
                parts.add(new Part(regex.toString(), literal.toString(), wildcard));
                regex.setLength(0);
                literal.setLength(0);
                wildcard = false;
            } else if (cp == '*' || cp == '?') {
                regex.append(cp == '*' ? ".*" : ".");
                wildcard = true;
            } else {
                // unquoted names fold to lower case, as PostgreSQL folds ASCII letters
                appendLiteral(regex, literal, cp >= 'A' && cp <= 'Z' ? cp + ('a' - 'A') : cp);
            }
            i = next;
        }
        if (quoted) {
            throw MigrationException.usage("--delay-table-data " + text + ": unterminated double quote");
        }
        parts.add(new Part(regex.toString(), literal.toString(), wildcard));
        return parts;
    }

    private static void appendLiteral(StringBuilder regex, StringBuilder literal, int cp) {
        String s = new String(Character.toChars(cp));
        regex.append(Pattern.quote(s));
        literal.append(s);
    }

    /** pg_dump's pattern for exactly this table: each part double-quoted, so nothing in it is a wildcard. */
    public static String exactPgDumpPattern(String schemaName, String tableName) {
        return '"' + schemaName.replace("\"", "\"\"") + "\".\"" + tableName.replace("\"", "\"\"") + '"';
    }
}
