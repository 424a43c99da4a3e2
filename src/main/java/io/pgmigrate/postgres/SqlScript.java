package io.pgmigrate.postgres;

import io.pgmigrate.MigrationException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A plain-SQL script as pg_dump / pg_dumpall (9.6 to 18) write it, split into the statements a JDBC connection can
 * run one by one.
 *
 * <p>The splitting follows psql's lexer: a {@code ;} ends a statement only outside single-quoted strings (standard,
 * {@code E'...'} with backslash escapes, {@code ''} doubling), double-quoted identifiers, dollar-quoted bodies
 * ({@code $$}, {@code $tag$}), {@code --} and (nested) {@code /* *&#47;} comments, parentheses, and the
 * {@code BEGIN ... END} body of a {@code CREATE [OR REPLACE] FUNCTION|PROCEDURE} (SQL-standard bodies, PG 14+).
 * {@code SET standard_conforming_strings = off} in the script makes later plain strings treat backslashes as
 * escapes, as the server would.
 *
 * <p>Comments outside quotes are removed, so each statement starts with its first keyword; statements are trimmed and
 * have no trailing {@code ;}; empty and comment-only chunks are dropped. psql meta-commands ({@code \restrict KEY},
 * its pair (unrestrict KEY), {@code \connect db}, ...) between statements are dropped from the statements and kept,
 * in order, in {@link #metaCommands()} so that a caller can refuse scripts whose meta-commands matter.
 *
 * <p>Inline {@code COPY ... FROM stdin} data cannot be split this way and is refused. A script that ends inside a
 * quote or comment (truncated output) is refused. A last statement without {@code ;} is kept (psql runs it too).
 */
public final class SqlScript {
    private final List<String> statements;
    private final List<String> metaCommands;

    private SqlScript(List<String> statements, List<String> metaCommands) {
        this.statements = List.copyOf(statements);
        this.metaCommands = List.copyOf(metaCommands);
    }

    /** Splits a whole script; throws {@link MigrationException} (environment) when it cannot be split safely. */
    public static SqlScript parse(String script) {
        Scanner scanner = new Scanner(script);
        scanner.run();
        return new SqlScript(scanner.statements, scanner.metaCommands);
    }

    /** The statements of a script: shorthand for {@code parse(script).statements()}. */
    public static List<String> split(String script) {
        return parse(script).statements();
    }

    /** The statements, in order, trimmed, without the trailing {@code ;} and without comments outside quotes. */
    public List<String> statements() {
        return statements;
    }

    /** The dropped psql meta-command lines, in order, trimmed (e.g. {@code \restrict abc}). */
    public List<String> metaCommands() {
        return metaCommands;
    }

    /** One pass over the text; state is kept only between two statements. */
    private static final class Scanner {
        private final String src;
        private final int n;
        private final List<String> statements = new ArrayList<>();
        private final List<String> metaCommands = new ArrayList<>();

        private final StringBuilder current = new StringBuilder();
        private int pos;
        private boolean standardStrings = true;
        // psql's heuristic for SQL-standard function bodies (psqlscan.l): first letters of the leading words
        private int parenDepth;
        private int beginDepth;
        private int wordCount;
        private final char[] leadingWords = new char[4];

        Scanner(String script) {
            this.src = script;
            this.n = script.length();
            this.pos = n > 0 && script.charAt(0) == '\uFEFF' ? 1 : 0;
        }

        void run() {
            while (pos < n) {
                char c = src.charAt(pos);
                char next = pos + 1 < n ? src.charAt(pos + 1) : '\0';
                if (c == '-' && next == '-') {
                    skipLineComment();
                } else if (c == '/' && next == '*') {
                    skipBlockComment();
                } else if (c == '\'') {
                    copyString(!standardStrings);
                } else if (c == '"') {
                    copyQuotedIdentifier();
                } else if (c == '$') {
                    copyDollarQuotedOrDollar();
                } else if (c == '\\') {
                    dropMetaCommand();
                } else if (isIdentStart(c)) {
                    copyWord();
                } else if (c >= '0' && c <= '9') {
                    copyNumber();
                } else if (c == ';' && parenDepth == 0 && beginDepth == 0) {
                    pos++;
                    endStatement();
                } else {
                    if (c == '(') {
                        parenDepth++;
                    } else if (c == ')' && parenDepth > 0) {
                        parenDepth--;
                    }
                    current.append(c);
                    pos++;
                }
            }
            endStatement();
        }

        private void skipLineComment() {
            int eol = src.indexOf('\n', pos);
            pos = eol < 0 ? n : eol; // the newline itself stays: it separates the tokens around the comment
        }

        private void skipBlockComment() {
            int start = pos;
            int depth = 0;
            while (pos < n) {
                char c = src.charAt(pos);
                char next = pos + 1 < n ? src.charAt(pos + 1) : '\0';
                if (c == '/' && next == '*') {
                    depth++;
                    pos += 2;
                } else if (c == '*' && next == '/') {
                    depth--;
                    pos += 2;
                    if (depth == 0) {
                        current.append(' ');
                        return;
                    }
                } else {
                    pos++;
                }
            }
            throw truncated("a /* comment", start);
        }

        /** A single-quoted literal; {@code pos} is on the opening quote. */
        private void copyString(boolean backslashEscapes) {
            copyQuoted('\'', backslashEscapes, "a quoted string");
        }

        private void copyQuotedIdentifier() {
            copyQuoted('"', false, "a double-quoted identifier");
        }

        /** Text between two {@code quote}s, where a doubled quote (or, if allowed, a backslash) escapes. */
        private void copyQuoted(char quote, boolean backslashEscapes, String what) {
            int start = pos;
            pos++;
            while (pos < n) {
                char c = src.charAt(pos);
                if (c == '\\' && backslashEscapes) {
                    pos += 2;
                } else if (c == quote) {
                    if (pos + 1 < n && src.charAt(pos + 1) == quote) {
                        pos += 2;
                    } else {
                        pos++;
                        current.append(src, start, pos);
                        return;
                    }
                } else {
                    pos++;
                }
            }
            throw truncated(what, start);
        }

        /** {@code $$...$$}, {@code $tag$...$tag$}, or a lone {@code $} such as a parameter {@code $1}. */
        private void copyDollarQuotedOrDollar() {
            int start = pos;
            int i = pos + 1;
            if (i < n && isDollarTagStart(src.charAt(i))) {
                i++;
                while (i < n && isDollarTagPart(src.charAt(i))) {
                    i++;
                }
            }
            if (i < n && src.charAt(i) == '$') {
                String delimiter = src.substring(start, i + 1);
                int close = src.indexOf(delimiter, i + 1);
                if (close < 0) {
                    throw truncated("a dollar-quoted string " + delimiter, start);
                }
                pos = close + delimiter.length();
                current.append(src, start, pos);
            } else {
                current.append('$');
                pos++;
            }
        }

        private void dropMetaCommand() {
            if (!current.toString().isBlank()) {
                throw MigrationException.environment("SQL script line " + lineOf(pos)
                        + ": a backslash (psql meta-command) inside a statement; only whole meta-command lines"
                        + " between statements can be run through JDBC");
            }
            int eol = src.indexOf('\n', pos);
            int end = eol < 0 ? n : eol;
            metaCommands.add(src.substring(pos, end).strip());
            pos = end;
        }

        private void copyWord() {
            int start = pos;
            pos++;
            while (pos < n && isIdentPart(src.charAt(pos))) {
                pos++;
            }
            String word = src.substring(start, pos);
            current.append(word);
            if (pos < n && src.charAt(pos) == '\'' && word.length() == 1) {
                char prefix = Character.toLowerCase(word.charAt(0));
                if (prefix == 'e') {
                    copyString(true);
                    return;
                }
                if (prefix == 'b' || prefix == 'x') {
                    copyString(false); // bit strings never take backslash escapes
                    return;
                }
            }
            trackFunctionBody(word);
        }

        private void copyNumber() {
            int start = pos;
            while (pos < n && (isIdentPart(src.charAt(pos)) || src.charAt(pos) == '.') && src.charAt(pos) != '$') {
                pos++;
            }
            current.append(src, start, pos);
        }

        /** psqlscan.l: semicolons inside BEGIN ... END of CREATE [OR REPLACE] FUNCTION|PROCEDURE do not split. */
        private void trackFunctionBody(String word) {
            String lower = word.toLowerCase(Locale.ROOT);
            if (wordCount == 0) {
                java.util.Arrays.fill(leadingWords, '\0');
            }
            if (lower.equals("create") || lower.equals("function") || lower.equals("procedure")
                    || lower.equals("or") || lower.equals("replace")) {
                if (wordCount < leadingWords.length) {
                    leadingWords[wordCount] = lower.charAt(0);
                }
            }
            wordCount++;
            boolean createsRoutine = leadingWords[0] == 'c'
                    && (leadingWords[1] == 'f' || leadingWords[1] == 'p'
                    || (leadingWords[1] == 'o' && leadingWords[2] == 'r'
                    && (leadingWords[3] == 'f' || leadingWords[3] == 'p')));
            if (!createsRoutine || parenDepth != 0) {
                return;
            }
            if (lower.equals("begin")) {
                beginDepth++;
            } else if (lower.equals("case")) {
                if (beginDepth >= 1) {
                    beginDepth++;
                }
            } else if (lower.equals("end") && beginDepth > 0) {
                beginDepth--;
            }
        }

        private void endStatement() {
            String statement = current.toString().strip();
            current.setLength(0);
            parenDepth = 0;
            beginDepth = 0;
            wordCount = 0;
            if (statement.isEmpty()) {
                return;
            }
            if (isCopyFromStdin(statement)) {
                throw MigrationException.environment("SQL script line " + lineOf(pos)
                        + ": COPY ... FROM stdin with inline data cannot be run statement by statement through JDBC");
            }
            trackStandardConformingStrings(statement);
            statements.add(statement);
        }

        private static boolean isCopyFromStdin(String statement) {
            String lower = statement.toLowerCase(Locale.ROOT);
            return lower.startsWith("copy") && lower.length() > 4 && Character.isWhitespace(lower.charAt(4))
                    && lower.replaceAll("\\s+", " ").endsWith(" from stdin");
        }

        /** {@code SET standard_conforming_strings = on|off} (pg_dump writes it in its preamble). */
        private void trackStandardConformingStrings(String statement) {
            String normalized = statement.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").replace("'", "");
            for (String prefix : List.of("set standard_conforming_strings", "set session standard_conforming_strings")) {
                if (normalized.startsWith(prefix)) {
                    String value = normalized.substring(prefix.length()).strip();
                    value = value.startsWith("=") ? value.substring(1).strip()
                            : value.startsWith("to ") ? value.substring(3).strip() : value;
                    if (value.equals("off") || value.equals("false")) {
                        standardStrings = false;
                    } else if (value.equals("on") || value.equals("true")) {
                        standardStrings = true;
                    }
                }
            }
        }

        private MigrationException truncated(String what, int start) {
            return MigrationException.environment("SQL script ends inside " + what + " opened at line "
                    + lineOf(start) + " (truncated output?)");
        }

        private int lineOf(int index) {
            int line = 1;
            for (int i = 0; i < index && i < n; i++) {
                if (src.charAt(i) == '\n') {
                    line++;
                }
            }
            return line;
        }

        private static boolean isIdentStart(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
        }

        private static boolean isIdentPart(char c) {
            return isIdentStart(c) || (c >= '0' && c <= '9') || c == '$';
        }

        private static boolean isDollarTagStart(char c) {
            return isIdentStart(c);
        }

        private static boolean isDollarTagPart(char c) {
            return isIdentStart(c) || (c >= '0' && c <= '9');
        }
    }
}
