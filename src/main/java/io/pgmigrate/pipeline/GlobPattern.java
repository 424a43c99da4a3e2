package io.pgmigrate.pipeline;

import io.pgmigrate.MigrationException;
import java.util.regex.Pattern;

/** A name pattern with {@code *} (any run of characters) and {@code ?} (one character); everything else is literal. */
public record GlobPattern(String text, Pattern regex) {

    public static GlobPattern of(String text) {
        if (text == null || text.isEmpty()) {
            throw MigrationException.usage("an empty name pattern matches nothing; give a name, or * for all");
        }
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (cp == '*' || cp == '?') {
                if (literal.length() > 0) {
                    re.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                re.append(cp == '*' ? ".*" : ".");
            } else {
                literal.appendCodePoint(cp);
            }
            i += Character.charCount(cp);
        }
        if (literal.length() > 0) {
            re.append(Pattern.quote(literal.toString()));
        }
        return new GlobPattern(text, Pattern.compile(re.toString(), Pattern.DOTALL));
    }

    public boolean matches(String name) {
        return regex.matcher(name).matches();
    }

    public boolean isLiteral() {
        return text.indexOf('*') < 0 && text.indexOf('?') < 0;
    }
}
