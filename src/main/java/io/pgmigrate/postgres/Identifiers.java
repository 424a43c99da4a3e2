package io.pgmigrate.postgres;

/**
 * PostgreSQL identifiers as SQL text: quoting a name, and reading the name a piece of SQL starts with, with the
 * server's rules (a double-quoted name is taken as written, {@code ""} standing for {@code "}; an unquoted one folds
 * ASCII letters to lower case, as in a UTF8 database).
 */
public final class Identifiers {

    private Identifiers() {
    }

    /**
     * One identifier read from the start of a text.
     *
     * @param name   the name it stands for (unquoted, case-folded when it was not quoted)
     * @param quoted whether it was written in double quotes
     * @param end    the index in the text just after the identifier
     */
    public record Leading(String name, boolean quoted, int end) {
    }

    /** Always double-quotes, doubling embedded {@code "}: {@code Admin "X"} becomes {@code "Admin ""X"""}. */
    public static String quote(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("an identifier cannot be empty");
        }
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("an identifier cannot contain a NUL character");
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** A string literal for a server with standard_conforming_strings on (every supported one by default). */
    public static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /**
     * Reads the identifier {@code s} starts with (no leading blanks are skipped). The rest of {@code s} is not
     * looked at, and the messages of the exceptions never quote {@code s} (it may hold a password further on).
     *
     * @throws IllegalArgumentException when {@code s} does not start with an identifier, or a quoted one is not closed
     */
    public static Leading parseLeading(String s) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException("expected an identifier, found the end of the text");
        }
        char first = s.charAt(0);
        if (first == '"') {
            StringBuilder name = new StringBuilder();
            int i = 1;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '"') {
                    if (i + 1 < s.length() && s.charAt(i + 1) == '"') {
                        name.append('"');
                        i += 2;
                        continue;
                    }
                    if (name.length() == 0) {
                        throw new IllegalArgumentException("a zero-length quoted identifier (\"\") is not valid");
                    }
                    return new Leading(name.toString(), true, i + 1);
                }
                name.append(c);
                i++;
            }
            throw new IllegalArgumentException("a double-quoted identifier is not closed");
        }
        if (!isStart(first)) {
            throw new IllegalArgumentException("expected an identifier, found " + describe(first));
        }
        StringBuilder name = new StringBuilder();
        int i = 0;
        while (i < s.length() && isPart(s.charAt(i))) {
            char c = s.charAt(i);
            name.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
            i++;
        }
        return new Leading(name.toString(), false, i);
    }

    private static boolean isStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    private static boolean isPart(char c) {
        return isStart(c) || (c >= '0' && c <= '9') || c == '$';
    }

    private static String describe(char c) {
        return Character.isISOControl(c) || Character.isWhitespace(c)
                ? String.format("character U+%04X", (int) c)
                : "'" + c + "'";
    }
}
