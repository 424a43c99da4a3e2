package io.pgmigrate.testbed;

import io.pgmigrate.embedded.EmbeddedServer;
import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.postgres.SqlScript;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The object zoo (issue #4): one database holding one of each object kind that commonly goes wrong in a migration,
 * with awkward data, loaded from {@code src/test/resources/zoo/*.sql} on a source server. The parts a server's
 * version cannot hold are left out (inheritance instead of partitions on 9.6, generated columns from 12 on, ...).
 *
 * <p>Everything global is named with the test's prefix (the database, three non-superuser roles), so tests can
 * share servers: {@link #pattern()} selects just this zoo. The database name holds a capital, a space, a double
 * quote and a non-ASCII letter.
 */
public final class Zoo {
    /** A part of the zoo and the server versions ({@code server_version_num}) that get it: [from, until). */
    record Part(String resource, int from, int until) {
        boolean appliesTo(int versionNum) {
            return versionNum >= from && versionNum < until;
        }
    }

    static final List<Part> PARTS = List.of(
            new Part("zoo/00-core.sql", 0, Integer.MAX_VALUE),
            new Part("zoo/09-inheritance.sql", 0, 100000),
            new Part("zoo/10-icu.sql", 100000, Integer.MAX_VALUE),
            new Part("zoo/10-declarative.sql", 110000, Integer.MAX_VALUE),
            new Part("zoo/12-generated.sql", 120000, Integer.MAX_VALUE),
            new Part("zoo/14-newer.sql", 140000, Integer.MAX_VALUE),
            new Part("zoo/15-newer.sql", 150000, Integer.MAX_VALUE),
            new Part("zoo/99-event-triggers.sql", 0, Integer.MAX_VALUE));

    public final String prefix;
    public final String database;
    public final String owner;
    public final String reader;
    public final String loOwner;
    private int manyLargeObjects;

    public Zoo(String prefix) {
        this.prefix = prefix;
        this.database = prefix + " zoo \"Ü\" DB";
        this.owner = prefix + "_zoo_owner";
        this.reader = prefix + "_zoo_reader";
        this.loOwner = prefix + "_zoo_lo_owner";
    }

    /** Adds this many small large objects (owned by {@link #loOwner}) to the three the zoo always has. */
    public Zoo withManyLargeObjects(int count) {
        this.manyLargeObjects = count;
        return this;
    }

    /** The --include-db pattern that selects exactly this zoo's database. */
    public String pattern() {
        return prefix + "*";
    }

    /** Creates the roles and the database and loads every part this server's version can hold. */
    public Zoo load(EmbeddedServer server) throws SQLException {
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
            for (String role : List.of(owner, reader, loOwner)) {
                st.execute("CREATE ROLE " + q(role) + " NOLOGIN");
            }
            st.execute("CREATE DATABASE " + q(database) + " OWNER " + q(owner));
        }
        try (Connection c = server.connect(database); Statement st = c.createStatement()) {
            for (Part part : PARTS) {
                if (!part.appliesTo(server.serverVersionNum())) {
                    continue;
                }
                for (String sql : SqlScript.split(fill(read(part.resource())))) {
                    try {
                        st.execute(sql);
                    } catch (SQLException e) {
                        throw new SQLException("zoo part " + part.resource() + " on PostgreSQL " + server.version()
                                + " failed at: " + sql + ": " + e.getMessage(), e.getSQLState(), e);
                    }
                }
            }
        }
        return this;
    }

    String fill(String script) {
        return script.replace("{{owner}}", q(owner)).replace("{{reader}}", q(reader))
                .replace("{{lo_owner}}", q(loOwner)).replace("{{many_los}}", Integer.toString(manyLargeObjects));
    }

    private static String read(String resource) {
        try (InputStream in = Zoo.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String q(String identifier) {
        return Identifiers.quote(identifier);
    }
}
