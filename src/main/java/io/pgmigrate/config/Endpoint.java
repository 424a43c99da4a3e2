package io.pgmigrate.config;

import java.util.Objects;

/**
 * One server to connect to, plus the database used for server-wide work (discovery, globals, settings).
 * The password is never printed: {@link #toString()} masks it and {@link #describe()} leaves it out.
 */
public record Endpoint(String role, String host, int port, String user, String password, String database) {

    public Endpoint {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(database, "database");
    }

    /** The same server, another database. */
    public Endpoint withDatabase(String db) {
        return new Endpoint(role, host, port, user, password, db);
    }

    /** "source postgres@127.0.0.1:5432": for messages and logs. */
    public String describe() {
        return role + " " + user + "@" + host + ":" + port;
    }

    public boolean hasPassword() {
        return password != null;
    }

    @Override
    public String toString() {
        return "Endpoint[" + describe() + "/" + database + ", password=" + (password == null ? "none" : "****") + "]";
    }
}
