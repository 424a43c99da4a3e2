package io.pgmigrate.process;

import io.pgmigrate.config.Endpoint;
import io.pgmigrate.postgres.KeepAliveSocketFactory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A libpq connection string for the client tools, passed as {@code --dbname=<conninfo>} (pg_dump, pg_restore,
 * pg_dumpall and psql all take it): {@code host='h' port='5432' user='u' dbname='d' application_name='pg-migrate'
 * keepalives='1' ...}.
 *
 * <p>Every value is single-quoted with {@code \} and {@code '} backslash-escaped, so any database name works, with
 * spaces, quotes, {@code =} or non-ASCII letters. It never holds a password: that goes to the child's environment
 * ({@code PGPASSWORD}) or a 0600 passfile, never to argv. So the string is safe to log, and {@link #toString()} is
 * the string itself.
 *
 * @param options further libpq keywords (connect_timeout, sslmode, keepalives ...), in the order written
 */
public record ConnInfo(String host, int port, String user, String dbname, Map<String, String> options) {

    public static final String APPLICATION_NAME = "pg-migrate";

    private static final Pattern KEYWORD = Pattern.compile("[a-z_]+");

    public ConnInfo {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(dbname, "dbname");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        options.forEach(ConnInfo::checkOption);
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /**
     * host, port, user and dbname, with {@code application_name='pg-migrate'} and the keepalive of the tool's JDBC
     * connections ({@link KeepAliveSocketFactory}): a server that goes silent is noticed in about two minutes.
     */
    public static ConnInfo of(String host, int port, String user, String dbname) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("application_name", APPLICATION_NAME);
        options.put("keepalives", "1");
        options.put("keepalives_idle", Integer.toString(KeepAliveSocketFactory.IDLE_SECONDS));
        options.put("keepalives_interval", Integer.toString(KeepAliveSocketFactory.INTERVAL_SECONDS));
        options.put("keepalives_count", Integer.toString(KeepAliveSocketFactory.PROBES));
        return new ConnInfo(host, port, user, dbname, options);
    }

    /** The endpoint's server, user and database; its password is left out on purpose. */
    public static ConnInfo of(Endpoint endpoint) {
        return of(endpoint.host(), endpoint.port(), endpoint.user(), endpoint.database());
    }

    public ConnInfo withDatabase(String otherDbname) {
        return new ConnInfo(host, port, user, otherDbname, options);
    }

    /** One more libpq keyword, or a new value for one already set. {@code password} is refused. */
    public ConnInfo with(String keyword, String value) {
        Map<String, String> more = new LinkedHashMap<>(options);
        more.put(keyword, value);
        return new ConnInfo(host, port, user, dbname, more);
    }

    /** The connection string. */
    public String value() {
        StringBuilder s = new StringBuilder();
        append(s, "host", host);
        append(s, "port", Integer.toString(port));
        append(s, "user", user);
        append(s, "dbname", dbname);
        options.forEach((k, v) -> append(s, k, v));
        return s.toString();
    }

    /** {@code --dbname=<conninfo>}, one argv element. */
    public String dbnameArg() {
        return "--dbname=" + value();
    }

    /** A value as libpq reads it: in single quotes, with backslash and single quote escaped by a backslash. */
    public static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    @Override
    public String toString() {
        return value();
    }

    private static void append(StringBuilder s, String keyword, String value) {
        if (s.length() > 0) {
            s.append(' ');
        }
        s.append(keyword).append('=').append(quote(value));
    }

    private static void checkOption(String keyword, String value) {
        Objects.requireNonNull(value, keyword);
        if (!KEYWORD.matcher(keyword).matches()) {
            throw new IllegalArgumentException("not a libpq keyword: '" + keyword + "'");
        }
        if (keyword.equals("password") || keyword.equals("host") || keyword.equals("port")
                || keyword.equals("user") || keyword.equals("dbname")) {
            throw new IllegalArgumentException(keyword.equals("password")
                    ? "a password never goes into a connection string: pass it as PGPASSWORD in the child's environment"
                    : keyword + " is a component of ConnInfo, not an option");
        }
    }
}
