package io.pgmigrate.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a command line gives to its password options ({@code --from-pass}, {@code --to-pass}, or a misspelling of
 * them: any long option whose name holds "pass"), kept out of the usage errors: picocli's messages quote the
 * arguments they stumble on ("Expected parameter for option '--from-pass' but found '-p4ss'"), and may quote a piece
 * of one (an argument "-p4ss" read as {@code -p 4ss}).
 */
final class PasswordArguments {
    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");
    private static final String HIDDEN = "***";

    private PasswordArguments() {
    }

    /** The message with every password given in {@code args}, and every quoted piece of one, shown as ***. */
    static String redact(String message, String[] args) {
        List<String> secrets = values(args);
        if (message == null || secrets.isEmpty()) {
            return message;
        }
        String out = message;
        for (String secret : secrets) {
            out = out.replace(secret, HIDDEN);
        }
        Matcher m = QUOTED.matcher(out);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String quoted = m.group(1);
            boolean piece = !quoted.isEmpty() && secrets.stream().anyMatch(s -> s.contains(quoted) || quoted.contains(s));
            m.appendReplacement(sb, Matcher.quoteReplacement(piece ? "'" + HIDDEN + "'" : m.group()));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** The values given to password options: the rest of {@code --opt=value}, else the argument after it. */
    static List<String> values(String[] args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            if (!name.startsWith("--") || !name.toLowerCase(Locale.ROOT).contains("pass")) {
                continue;
            }
            String value = eq >= 0 ? arg.substring(eq + 1) : i + 1 < args.length ? args[i + 1] : "";
            if (!value.isEmpty()) {
                out.add(value);
            }
        }
        return out;
    }
}
