package io.pgmigrate.embedded;

import io.pgmigrate.MigrationException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings an embedded server starts with, written as a block at the end of its postgresql.conf (not as
 * {@code -c} options: those would outrank ALTER SYSTEM, and the tool under test tunes and reverts a target's
 * settings through ALTER SYSTEM). Defaults suit tests: small shared_buffers, durability left on.
 */
final class ServerSettings {
    static final String MARKER = "# --- pg-migrate embedded server ---";
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");
    private static final Set<String> OURS = Set.of("listen_addresses", "port", "unix_socket_directories");

    private final Map<String, String> values = new LinkedHashMap<>();

    /** The defaults, then the caller's settings on top (a caller's value wins). */
    ServerSettings(String majorVersion, Map<String, String> callerSettings) {
        values.put("max_connections", "100");
        values.put("shared_buffers", "32MB");
        if (!majorVersion.startsWith("9.")) {
            values.put("password_encryption", "scram-sha-256");
        }
        values.put("logging_collector", "off");
        values.put("log_line_prefix", "%m [%p] %q%u@%d ");
        callerSettings.forEach((name, value) -> {
            if (name == null || !NAME.matcher(name).matches() || value == null) {
                throw MigrationException.usage("invalid server setting " + name + "=" + value);
            }
            if (OURS.contains(name.toLowerCase(Locale.ROOT))) {
                throw MigrationException.usage(name + " is chosen by the embedded server itself (127.0.0.1 only)");
            }
            values.put(name, value);
        });
    }

    /** The postgresql.conf block: where to listen, then every setting, each value quoted. */
    String render(int port, Path socketDir) {
        StringBuilder conf = new StringBuilder("\n").append(MARKER).append('\n');
        line(conf, "listen_addresses", "127.0.0.1");
        line(conf, "port", Integer.toString(port));
        line(conf, "unix_socket_directories", socketDir.toString());
        values.forEach((name, value) -> line(conf, name, value));
        return conf.toString();
    }

    private static void line(StringBuilder conf, String name, String value) {
        conf.append(name).append(" = ").append(quote(value)).append('\n');
    }

    /** A postgresql.conf string literal: single quotes, embedded quotes and backslashes doubled. */
    static String quote(String value) {
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw MigrationException.usage("a server setting value cannot span lines: " + value);
        }
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
