package io.pgmigrate.pipeline;

import io.pgmigrate.ExitCode;
import io.pgmigrate.MigrationException;
import io.pgmigrate.config.MigrationConfig;
import io.pgmigrate.postgres.Catalog;
import io.pgmigrate.postgres.Connections;
import io.pgmigrate.postgres.Sql;
import io.pgmigrate.postgres.SqlScript;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Unlogged partitioned tables, which 10 to 17 accept and 18 refuses ("partitioned tables cannot be unlogged"), and
 * which pg_dump before 18 writes as {@code CREATE UNLOGGED TABLE ... PARTITION BY}. Such a table holds no rows and
 * its persistence means nothing (each partition has its own), so on a target of 18 or later it is created logged,
 * as pg_dump 18 writes it: the restore leaves its entry out and runs, at the entry's place, pg_restore's own script
 * of that entry without the UNLOGGED.
 */
final class UnloggedParents {
    private static final int FIRST_REFUSING = 180000;
    private static final String UNLOGGED = "CREATE UNLOGGED TABLE ";
    private static final Pattern ENCODING = Pattern.compile("(?m)^SET client_encoding = '([A-Za-z0-9_]+)';$");

    private UnloggedParents() {
    }

    /**
     * The entries the target refuses, with the tables' quoted names: the source database's unlogged partitioned
     * tables, when the target is 18 or later.
     */
    static Map<RestoreList.CatalogObject, String> refusedBy(MigrationConfig config, String db) throws SQLException {
        Map<RestoreList.CatalogObject, String> found = new HashMap<>();
        try (Connection c = Connections.open(config.source(), db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(Sql.get("unlogged_partitioned_tables"))) {
            while (rs.next()) {
                found.put(new RestoreList.CatalogObject(RestoreList.CatalogObject.PG_CLASS, rs.getLong(1)),
                        rs.getString(2));
            }
        }
        if (found.isEmpty()) {
            return found;
        }
        try (Connection c = Connections.open(config.target(), db)) {
            return new Catalog(c).versionNum() >= FIRST_REFUSING ? found : Map.of();
        }
    }

    /**
     * Runs on the target database {@code script}, pg_restore's script of one such table's entry, creating the
     * table logged. The script is in the database's encoding ({@code SET client_encoding}, which pgjdbc cannot
     * take, so it is left out once the text is decoded).
     */
    static void createLogged(MigrationConfig config, String db, String table, byte[] script) throws SQLException {
        String text = decode(table, script);
        List<String> statements = SqlScript.split(text).stream()
                .filter(s -> !s.startsWith("SET client_encoding "))
                .map(s -> s.startsWith(UNLOGGED) ? "CREATE TABLE " + s.substring(UNLOGGED.length()) : s)
                .toList();
        try (Connection c = Connections.open(config.target(), db); Statement st = c.createStatement()) {
            for (String statement : statements) {
                st.execute(statement);
            }
        }
    }

    private static String decode(String table, byte[] script) {
        Matcher m = ENCODING.matcher(new String(script, StandardCharsets.ISO_8859_1));
        String encoding = m.find() ? m.group(1) : "UTF8";
        if (Charset.isSupported(encoding)) {
            return new String(script, Charset.forName(encoding));
        }
        for (byte b : script) {
            if (b < 0) {
                throw new MigrationException(ExitCode.DATABASES_FAILED, "the unlogged partitioned table " + table
                        + ", which PostgreSQL 18 refuses and pg-migrate creates logged, has a definition in encoding "
                        + encoding + " that pg-migrate cannot read: on the source, give it a definition in ASCII, "
                        + "or re-create it as a logged partitioned table and attach its partitions to it");
            }
        }
        return new String(script, StandardCharsets.US_ASCII);
    }
}
