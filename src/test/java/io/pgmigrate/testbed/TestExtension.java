package io.pgmigrate.testbed;

import io.pgmigrate.embedded.EmbeddedServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * An extension of a test's own (version 1.0), written into the share folders of servers, for what no contrib
 * extension has. {@link #close()} drops the test's databases on those servers, then deletes the files: no database
 * of the shared servers is left with an extension their share folders no longer hold.
 */
public final class TestExtension implements AutoCloseable {
    private final List<EmbeddedServer> servers;
    private final List<String> databases;
    private final List<Path> files = new ArrayList<>();

    private TestExtension(List<EmbeddedServer> servers, List<String> databases) {
        this.servers = servers;
        this.databases = databases;
    }

    /**
     * Writes {@code name.control} ({@code default_version = '1.0'} and {@code control}'s lines) and {@code
     * name--1.0.sql} ({@code script}) on each server; {@code databases} are those {@link #close()} drops.
     */
    public static TestExtension install(String name, String control, String script, List<EmbeddedServer> servers,
                                        String... databases) throws SQLException, IOException {
        TestExtension extension = new TestExtension(servers, List.of(databases));
        try {
            for (EmbeddedServer server : servers) {
                Path dir = Path.of(shareDir(server), "extension");
                extension.files.add(Files.writeString(dir.resolve(name + ".control"),
                        "default_version = '1.0'\n" + control));
                extension.files.add(Files.writeString(dir.resolve(name + "--1.0.sql"), script));
            }
        } catch (IOException | SQLException | RuntimeException e) {
            extension.close();
            throw e;
        }
        return extension;
    }

    private static String shareDir(EmbeddedServer server) throws SQLException {
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT setting FROM pg_config WHERE name = 'SHAREDIR'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Override
    public void close() throws SQLException, IOException {
        for (EmbeddedServer server : servers) {
            try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
                for (String db : databases) {
                    st.execute("DROP DATABASE IF EXISTS " + Fixture.q(db));
                }
            }
        }
        for (Path file : files) {
            Files.delete(file);
        }
    }
}
