package io.pgmigrate.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** Catalog queries, on a connection the caller owns. The SQL lives in {@code resources/sql}. */
public final class Catalog {
    private final Connection connection;

    public Catalog(Connection connection) {
        this.connection = connection;
    }

    /** server_version_num, e.g. 90624 or 170005: readable on any version, unlike {@link #serverInfo()}. */
    public int versionNum() throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(Sql.get("server_version"))) {
            rs.next();
            return rs.getInt(1);
        }
    }

    public ServerInfo serverInfo() throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(Sql.get("server_info"))) {
            rs.next();
            int versionNum = rs.getInt("version_num");
            boolean inRecovery = rs.getBoolean("in_recovery");
            return new ServerInfo(versionNum, rs.getBoolean("superuser"), inRecovery,
                    inRecovery && replayPaused(versionNum), rs.getInt("max_connections"), rs.getInt("reserved"),
                    rs.getInt("in_use"), systemIdentifier());
        }
    }

    /** On a standby: whether its WAL replay is paused (the function was renamed in 10). */
    private boolean replayPaused(int versionNum) throws SQLException {
        String query = Sql.get(versionNum >= 100000 ? "wal_replay_paused" : "xlog_replay_paused");
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private String systemIdentifier() {
        // pg_control_system() exists from 9.6 on; without it the run identity falls back to host and port.
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery(Sql.get("system_identifier"))) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            rollbackQuietly();
            return null;
        }
    }

    public List<DatabaseInfo> databases() throws SQLException {
        List<DatabaseInfo> out = new ArrayList<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(Sql.get("list_databases"))) {
            while (rs.next()) {
                out.add(new DatabaseInfo(rs.getString("datname"), rs.getLong("size_bytes"), rs.getString("owner"),
                        rs.getString("encoding"), rs.getString("datcollate"), rs.getString("datctype"),
                        rs.getBoolean("datallowconn"), rs.getString("tablespace"), rs.getString("locale_provider"),
                        rs.getString("icu_locale"), rs.getString("icu_rules")));
            }
        }
        return out;
    }

    public boolean databaseExists(String name) throws SQLException {
        return databaseOid(name).isPresent();
    }

    /** The OID of the database of that name, empty when there is none. */
    public OptionalLong databaseOid(String name) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(Sql.get("database_oid"))) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    /** Leaf tables with their planner estimates (pg_class.reltuples), biggest first. */
    public Map<TableRef, Long> tables() throws SQLException {
        Map<TableRef, Long> out = new LinkedHashMap<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(Sql.get("list_tables"))) {
            while (rs.next()) {
                out.put(new TableRef(rs.getString(1), rs.getString(2)), rs.getLong(3));
            }
        }
        return out;
    }

    /** Relations (tables, views, sequences ...) outside the system schemas and extensions. */
    public int userRelationCount() throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery(Sql.get("count_user_tables"))) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Ends every other session on a database, e.g. an orphaned pg_restore of a crashed run. */
    public int terminateBackends(String database) throws SQLException {
        return terminate(Sql.get("terminate_backends"), database);
    }

    /** Terminates the sessions of {@code application} in the database; returns how many there were. */
    public int terminateBackends(String database, String application) throws SQLException {
        return terminate(Sql.get("terminate_tool_backends"), database, application);
    }

    private int terminate(String sql, String... parameters) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Reads, from the source, what the delayed phase takes off and puts back: indexes, foreign keys, trigger states. */
    public DelayedDdl delayedDdl(List<TableRef> tables) throws SQLException {
        Array schemas = connection.createArrayOf("text", tables.stream().map(TableRef::schema).toArray());
        Array names = connection.createArrayOf("text", tables.stream().map(TableRef::name).toArray());
        List<DelayedDdl.Index> indexes = rowsAbout(Sql.get("secondary_indexes"), List.of(schemas, names),
                rs -> new DelayedDdl.Index(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5)));
        // the tables twice: keys into them, from tables that are not among them
        List<DelayedDdl.ForeignKey> keys = rowsAbout(Sql.get("foreign_keys_into"),
                List.of(schemas, names, schemas, names),
                rs -> new DelayedDdl.ForeignKey(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6)));
        List<DelayedDdl.TriggerState> triggers = rowsAbout(Sql.get("delayed_trigger_states"), List.of(schemas, names),
                rs -> new DelayedDdl.TriggerState(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
        List<DelayedDdl.MatView> matviews = rowsAbout(Sql.get("delayed_matviews"), List.of(schemas, names),
                rs -> new DelayedDdl.MatView(rs.getString(1), rs.getString(2)));
        return new DelayedDdl(indexes, keys, triggers, matviews);
    }

    /** One row as a value. */
    @FunctionalInterface
    private interface Row<T> {
        T of(ResultSet rs) throws SQLException;
    }

    /** The rows of {@code sql} with these arrays bound in order, each as a value. */
    private <T> List<T> rowsAbout(String sql, List<Array> arrays, Row<T> row) throws SQLException {
        List<T> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < arrays.size(); i++) {
                ps.setArray(i + 1, arrays.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row.of(rs));
                }
            }
        }
        return out;
    }

    private void rollbackQuietly() {
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
        } catch (SQLException ignored) {
            // nothing to undo
        }
    }
}
