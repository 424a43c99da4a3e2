package io.pgmigrate.pipeline;

import io.pgmigrate.MigrationException;
import io.pgmigrate.config.Endpoint;
import io.pgmigrate.postgres.Catalog;
import io.pgmigrate.postgres.Connections;
import io.pgmigrate.postgres.DatabaseInfo;
import io.pgmigrate.postgres.DatabaseProperties;
import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.postgres.PostgresErrors;
import io.pgmigrate.postgres.SharedConnection;
import io.pgmigrate.postgres.Sql;
import io.pgmigrate.process.CancelledException;
import io.pgmigrate.process.ConnInfo;
import io.pgmigrate.state.Marker;
import io.pgmigrate.state.StateNames;
import io.pgmigrate.state.StateStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the target databases as the source has them (encoding, collation, ctype, owner, from template0), and
 * guards the rule that pg-migrate only ever writes into a database it created: the CREATED marker is written
 * before CREATE DATABASE, and a target database without it is never touched.
 */
public final class DatabaseCreator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DatabaseCreator.class);

    private final Endpoint target;
    /** Each database's properties, read on the source and applied on the target: one login for all on each. */
    private final SharedConnection sourceMaintenance;
    private final SharedConnection targetMaintenance;
    private final StateStore state;
    private final boolean tablespaces;
    private final boolean publicSchemaAsFrom15;
    private volatile boolean stopped;

    /**
     * @param publicSchemaAsFrom15 pg_dump is 15 or later and the target older than 15: that pg_dump writes the
     *                             public schema's privileges as changes from 15's initial ones ({@code =U}, no CREATE
     *                             for PUBLIC), so a target database starts from those, not from its own {@code =UC}
     */
    public DatabaseCreator(Endpoint source, Endpoint target, StateStore state, boolean tablespaces,
                           boolean publicSchemaAsFrom15) {
        this.target = target;
        this.sourceMaintenance = new SharedConnection(source);
        this.targetMaintenance = new SharedConnection(target);
        this.state = state;
        this.tablespaces = tablespaces;
        this.publicSchemaAsFrom15 = publicSchemaAsFrom15;
    }

    /**
     * Before any change: refuses the run if a target database exists that this run did not create, or one whose
     * markers are about another database ({@link #requireMarkersMatch}): those it works in, and those whose sessions
     * it ends.
     */
    public void checkNoForeignDatabases(List<DatabaseInfo> databases) throws SQLException {
        try (Connection c = Connections.open(target, target.database())) {
            Catalog catalog = new Catalog(c);
            for (DatabaseInfo db : databases) {
                boolean marked = state.has(db.name(), Marker.CREATED);
                if (!marked && catalog.databaseExists(db.name())) {
                    throw foreign(db, "");
                }
                if (marked) {
                    requireMarkersMatch(state, catalog, db.name(), true);
                }
            }
            for (String db : state.databasesMarked(Marker.CREATED)) {
                requireMarkersMatch(state, catalog, db, false);
            }
        }
    }

    /**
     * Refuses to act on a database whose markers are not about the target database of that name there now: this
     * folder created one with another OID (dropped since, and created again, perhaps by another run that works in
     * it), or, with {@code gone}, one no longer there that it had restored into (re-created, it would be reported
     * migrated empty). A marker of a version that recorded no OID is caught only once its database is gone and done.
     */
    private static void requireMarkersMatch(StateStore state, Catalog catalog, String db, boolean gone)
            throws SQLException {
        OptionalLong recorded = state.createdOid(db);
        OptionalLong now = catalog.databaseOid(db);
        String markers = "delete its markers (" + StateNames.fileSafe(db) + ".* in " + state.migrateDir() + " and "
                + state.verifyDir() + ")";
        if (now.isPresent() && recorded.isPresent() && now.getAsLong() != recorded.getAsLong()) {
            throw MigrationException.state("target database " + Identifiers.quote(db) + " is not the one this state "
                    + "folder created (dropped and created again since, by another run?): pg-migrate does not act on "
                    + "it; once no other run needs it, drop it on the target and " + markers + " to migrate it again");
        }
        if (now.isEmpty() && gone && (recorded.isPresent() || state.has(db, Marker.DONE))) {
            throw MigrationException.state("target database " + Identifiers.quote(db) + ", which this state folder "
                    + "created, is no longer there (dropped since?), yet its markers say what was done in it: "
                    + markers + " to migrate it again");
        }
    }

    private MigrationException foreign(DatabaseInfo db, String when) {
        return MigrationException.environment("target database " + Identifiers.quote(db.name())
                + " already exists on " + target.host() + ":" + target.port() + when
                + " and was not created by this migration; pg-migrate never writes into it: drop or "
                + "rename it on the target, or leave it out with --exclude-db");
    }

    /**
     * Warnings for the target databases an earlier run created and did not finish that this run leaves out (dropped
     * on the source since, or not selected by the patterns now): nothing else would say they are incomplete.
     */
    public List<String> unfinishedLeftOut(List<DatabaseInfo> databases) throws SQLException {
        Set<String> selected = databases.stream().map(DatabaseInfo::name).collect(Collectors.toSet());
        List<String> warnings = new ArrayList<>();
        try (Connection c = Connections.open(target, target.database())) {
            Catalog catalog = new Catalog(c);
            for (String db : state.databasesMarked(Marker.CREATED)) {
                if (!selected.contains(db) && !state.has(db, Marker.PROPERTIES) && catalog.databaseExists(db)) {
                    warnings.add("target database " + Identifiers.quote(db) + " is INCOMPLETE: an earlier run "
                            + "created it and did not finish it, and this run leaves it out (no longer on the source, "
                            + "or not selected by --include-db/--exclude-db); run again with it selected, or drop it "
                            + "on the target and delete its markers from the state folder");
                }
            }
        }
        return warnings;
    }

    /**
     * Creates the database unless this state folder already did. One that another run (with another state folder)
     * created since the checks is refused, and a CREATE DATABASE that loses to such a run leaves no CREATED marker:
     * the marker would let a later run of this folder restore into that database, then drop it.
     */
    public void create(DatabaseInfo db) throws SQLException {
        try (Connection c = Connections.open(target, target.database())) {
            boolean marked = state.has(db.name(), Marker.CREATED);
            Catalog catalog = new Catalog(c);
            if (marked) {
                requireMarkersMatch(state, catalog, db.name(), true);
            }
            if (catalog.databaseExists(db.name())) {
                if (!marked) {
                    throw foreign(db, " (created since the checks, by another run?)");
                }
                if (!state.has(db.name(), Marker.RESTORING) && !state.has(db.name(), Marker.DONE)) {
                    // nothing restored into it yet: an earlier run may have stopped right after CREATE DATABASE
                    preparePublicSchema(db);
                }
                return;
            }
            state.mark(db.name(), Marker.CREATED);
            try (Statement st = c.createStatement()) {
                st.execute(createStatement(db, tablespaces, c.getMetaData().getDatabaseMajorVersion()));
            } catch (SQLException e) {
                // 42P04, or 23505 when the other CREATE DATABASE was still running: the name is another run's
                if (!marked && ("42P04".equals(e.getSQLState()) || "23505".equals(e.getSQLState()))) {
                    state.clear(db.name(), Marker.CREATED);
                    throw foreign(db, " (created at the same moment, by another run?)");
                }
                throw e;
            }
            recordOid(catalog, db.name());
            preparePublicSchema(db);
            log.info("created target database {}", Identifiers.quote(db.name()));
        }
    }

    /**
     * Ends the tool's sessions an earlier run left in the databases it had not finished. A run killed (SIGKILL, a
     * second Ctrl-C) leaves its statements running on the target until they next talk to their client: an index
     * build, a foreign key's validation, a VACUUM run to their commit, and the same statement run again by this run
     * would wait for it, then fail on what it committed. Only databases this state folder created, before this run
     * works in them; those this run leaves out too (not selected now), as {@code revert-settings} does: nothing else
     * would stop what the killed run left running in them.
     */
    public void endLeftoverSessions() throws SQLException {
        endLeftoverSessions(target, state, state.databasesMarked(Marker.CREATED));
    }

    /**
     * As above, for the databases named; returns how many sessions it ended. A database whose markers are about
     * another ({@link #requireMarkersMatch}) is left alone, its sessions being another run's, and refused once the
     * others are done.
     */
    public static int endLeftoverSessions(Endpoint target, StateStore state, List<String> databases)
            throws SQLException {
        int total = 0;
        MigrationException refused = null;
        try (Connection c = Connections.open(target, target.database())) {
            Catalog catalog = new Catalog(c);
            for (String db : databases) {
                if (state.has(db, Marker.CREATED) && !state.has(db, Marker.PROPERTIES)) {
                    try {
                        requireMarkersMatch(state, catalog, db, false);
                    } catch (MigrationException e) {
                        refused = refused == null ? e : refused;
                        continue;
                    }
                    int ended = catalog.terminateBackends(db, ConnInfo.APPLICATION_NAME);
                    if (ended > 0) {
                        log.warn("ended {} session(s) an earlier run left on target database {}", ended,
                                Identifiers.quote(db));
                    }
                    total += ended;
                }
            }
        }
        if (refused != null) {
            throw refused;
        }
        return total;
    }

    /** Drops and re-creates a database this run created, e.g. before restoring it again after a crash. */
    public void recreate(DatabaseInfo db) throws SQLException {
        if (!state.has(db.name(), Marker.CREATED)) {
            throw new IllegalStateException("refusing to drop " + db.name() + ": not created by this run");
        }
        try (Connection c = Connections.open(target, target.database())) {
            Catalog catalog = new Catalog(c);
            requireMarkersMatch(state, catalog, db.name(), false);
            if (catalog.databaseExists(db.name())) {
                dropSubscriptions(db.name());
                int ended = catalog.terminateBackends(db.name());
                if (ended > 0) {
                    log.info("ended {} leftover session(s) on target database {}", ended, Identifiers.quote(db.name()));
                }
                try (Statement st = c.createStatement()) {
                    // a run that got as far as the properties made a template of it: DROP DATABASE refuses those
                    st.execute("ALTER DATABASE " + Identifiers.quote(db.name()) + " IS_TEMPLATE false");
                    st.execute("DROP DATABASE " + Identifiers.quote(db.name()));
                }
            }
            try (Statement st = c.createStatement()) {
                st.execute(createStatement(db, tablespaces, c.getMetaData().getDatabaseMajorVersion()));
            }
            recordOid(catalog, db.name());
            preparePublicSchema(db);
            log.info("re-created target database {} for a fresh restore", Identifiers.quote(db.name()));
        }
    }

    /** Records the OID of the database this folder just created in its CREATED marker. */
    private void recordOid(Catalog catalog, String db) throws SQLException {
        state.recordCreatedOid(db, catalog.databaseOid(db).orElseThrow(
                () -> new SQLException("target database " + Identifiers.quote(db) + " vanished once created")));
    }

    /**
     * A source's {@code REVOKE CREATE ON SCHEMA public FROM PUBLIC} is no change for pg_dump 15+, which writes nothing
     * for it: on a target before 15 PUBLIC kept CREATE in the public schema. The new database's public schema gets
     * the privileges that pg_dump starts from; what the source changed from them, pg_dump writes.
     */
    private void preparePublicSchema(DatabaseInfo db) throws SQLException {
        if (!publicSchemaAsFrom15) {
            return;
        }
        try (Connection c = Connections.open(target, db.name()); Statement st = c.createStatement()) {
            st.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
        }
    }

    /**
     * DROP DATABASE refuses a database with subscriptions (a restore that got past its post-data section has them):
     * each is disabled, detached from its replication slot (which lives on the publisher and is not this run's) and
     * dropped.
     */
    private void dropSubscriptions(String database) throws SQLException {
        try (Connection c = Connections.open(target, database); Statement st = c.createStatement()) {
            if (c.getMetaData().getDatabaseMajorVersion() < 10) {
                return;
            }
            List<String> names = new ArrayList<>();
            try (ResultSet rs = st.executeQuery(Sql.get("database_subscriptions"))) {
                while (rs.next()) {
                    names.add(Identifiers.quote(rs.getString(1)));
                }
            }
            for (String name : names) {
                st.execute("ALTER SUBSCRIPTION " + name + " DISABLE");
                st.execute("ALTER SUBSCRIPTION " + name + " SET (slot_name = NONE)");
                st.execute("DROP SUBSCRIPTION " + name);
            }
        }
    }

    /**
     * Gives the target database the source's settings, privileges, comment and connection limit. Done last, so a
     * read-only default or a revoked CONNECT cannot get in the way of the restore.
     */
    public void applyProperties(DatabaseInfo db) throws SQLException {
        if (state.has(db.name(), Marker.PROPERTIES)) {
            return;
        }
        DatabaseProperties properties = sourceMaintenance.use(c -> DatabaseProperties.read(c, db.name()));
        List<String> statements = properties.statements(db.owner());
        if (!statements.isEmpty()) {
            targetMaintenance.use(c -> {
                try (Statement st = c.createStatement()) {
                    for (String sql : statements) {
                        if (stopped) {
                            throw new CancelledException("applying the database properties stopped");
                        }
                        try {
                            st.execute(sql);
                        } catch (SQLException e) {
                            // the data is in by now: say which property, so the DBA can fix one side and run again
                            throw new SQLException("the target refused " + sql + ": " + PostgresErrors.oneLine(e)
                                    + "; the data is in: make the target accept it (a locale it names must exist on "
                                    + "the target's machine) or change it on the source, then run again",
                                    e.getSQLState(), e);
                        }
                    }
                }
                return null;
            });
        }
        if (!statements.isEmpty()) {
            log.info("database properties applied: {} statement(s) (settings, privileges, comment, connection limit)",
                    statements.size());
        }
        state.mark(db.name(), Marker.PROPERTIES);
    }

    /**
     * Ctrl-C: no property statement starts any more, and the running one is cancelled on the server, where it may wait
     * for a lock another session holds (on the database, a role's setting in it).
     */
    public void stop() {
        stopped = true;
        targetMaintenance.cancel();
        sourceMaintenance.cancel();
    }

    @Override
    public void close() {
        sourceMaintenance.close();
        targetMaintenance.close();
    }

    /**
     * {@code targetMajor}: from 15 on, a database the source keeps with libc is created with libc named: left
     * unsaid, CREATE DATABASE takes template0's provider, which is ICU or builtin on a target initialized with one.
     */
    static String createStatement(DatabaseInfo db, boolean tablespaces, int targetMajor) {
        StringBuilder sql = new StringBuilder("CREATE DATABASE " + Identifiers.quote(db.name())
                + " WITH TEMPLATE template0"
                + " ENCODING " + Identifiers.literal(db.encoding())
                + " LC_COLLATE " + Identifiers.literal(db.collate())
                + " LC_CTYPE " + Identifiers.literal(db.ctype()));
        if ("i".equals(db.localeProvider())) {
            sql.append(" LOCALE_PROVIDER icu ICU_LOCALE ").append(Identifiers.literal(db.icuLocale()));
            if (db.icuRules() != null) {
                sql.append(" ICU_RULES ").append(Identifiers.literal(db.icuRules()));
            }
        } else if ("b".equals(db.localeProvider())) {
            sql.append(" LOCALE_PROVIDER builtin BUILTIN_LOCALE ").append(Identifiers.literal(db.icuLocale()));
        } else if (targetMajor >= 15) {
            sql.append(" LOCALE_PROVIDER libc");
        }
        if (tablespaces && db.tablespace() != null && !db.tablespace().equals("pg_default")) {
            sql.append(" TABLESPACE ").append(Identifiers.quote(db.tablespace()));
        }
        return sql.append(" OWNER ").append(Identifiers.quote(db.owner())).toString();
    }

}
