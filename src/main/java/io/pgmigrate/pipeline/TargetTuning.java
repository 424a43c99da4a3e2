package io.pgmigrate.pipeline;

import io.pgmigrate.MigrationException;
import io.pgmigrate.config.Endpoint;
import io.pgmigrate.postgres.Connections;
import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.postgres.Sql;
import io.pgmigrate.postgres.TargetWal;
import io.pgmigrate.state.StateStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fast-load settings on the target: synchronous_commit off, a large maintenance_work_mem, a spread-out checkpoint.
 * Nothing the server needs to survive a crash is turned off: fsync and full_page_writes stay on, and the run's
 * markers wait for the target's WAL to be on disk ({@link TargetWal}), so a crash of the target's machine at any
 * moment loses at most steps the next run does again. (An earlier version turned full_page_writes off and needed a
 * final CHECKPOINT; measured on the lab, that checkpoint cost more than the setting saved, and a crash during the
 * run could leave torn pages in any database of the target, the catalogs included.) A record left by an earlier
 * version that did turn fsync or full_page_writes off is still reverted as recorded, with that CHECKPOINT. The
 * settings are server-wide, so they are recorded in the state folder <em>before</em> they are applied, and
 * reverted on success, failure and Ctrl-C; after a crash the next start finds the record and reverts first, or
 * {@code pg-migrate revert-settings} does, for a migration given up. A value
 * the DBA had set with ALTER SYSTEM before is put back as it was. Where ALTER SYSTEM is refused (allow_alter_system =
 * off, a managed service) the restores get the session-level settings only.
 */
public final class TargetTuning {
    private static final Logger log = LoggerFactory.getLogger(TargetTuning.class);
    static final String FILE = "target_settings.json";
    static final Map<String, String> FAST = fast();

    /** What the state folder records: the settings applied and the ALTER SYSTEM values they replaced. */
    public record Record(String host, int port, Map<String, String> applied, Map<String, String> previous) {
    }

    /** Settings an earlier version applied that leave pages to make durable with a CHECKPOINT once reverted. */
    private static final Set<String> NEED_CHECKPOINT = Set.of("fsync", "full_page_writes");

    private final Endpoint target;
    private final StateStore state;
    private final TargetWal wal;
    private boolean systemLevel;

    public TargetTuning(Endpoint target, StateStore state, TargetWal wal) {
        this.target = target;
        this.state = state;
        this.wal = wal;
    }

    private static Map<String, String> fast() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("synchronous_commit", "off");
        m.put("maintenance_work_mem", "2GB");
        m.put("checkpoint_completion_target", "0.9");
        return m;
    }

    /** Session settings every restore connection gets (PGOPTIONS), whether or not ALTER SYSTEM worked. */
    public static String sessionOptions() {
        return "-c synchronous_commit=off -c maintenance_work_mem=2GB";
    }

    /** What the state folder records as applied: present while a run applies them, or after one crashed. */
    public Optional<Record> recorded() {
        return state.readJson(FILE, Record.class);
    }

    /** Reverts what a crashed run left applied. Returns true if there was something to revert. */
    public boolean revertLeftovers() throws SQLException {
        var pending = recorded();
        if (pending.isEmpty()) {
            return false;
        }
        log.warn("an earlier run left the target's fast-load settings applied: reverting them first "
                + "(pg-migrate revert-settings does that alone, for a migration given up)");
        revert(pending.get());
        return true;
    }

    /**
     * Applies the fast-load settings; returns false (and warns) where the target refuses ALTER SYSTEM. Whatever else
     * stops it once the record is written (a broken connection between two ALTER SYSTEMs, say) leaves
     * {@link #revert()} to put back what it applied.
     */
    public boolean apply() throws SQLException {
        try (Connection c = Connections.open(target, target.database())) {
            Map<String, String> previous = previousValues(c);
            if (previous == null) {
                log.warn("the target refuses ALTER SYSTEM (allow_alter_system = off, or a managed service): "
                        + "restores will use session-level settings only ({})", sessionOptions());
                return false;
            }
            if (previous.equals(FAST)) {
                // recorded as the DBA's own, they would be put back at the end: synchronous_commit off for good
                throw MigrationException.state("the target's postgresql.auto.conf already holds pg-migrate's "
                        + "fast-load settings " + FAST + ": left applied by a run with another state folder, or "
                        + "set by one running now? Revert them (pg-migrate revert-settings with that run's --state-dir, "
                        + "or ALTER SYSTEM RESET each and SELECT pg_reload_conf()), then run again");
            }
            state.writeJson(FILE, new Record(target.host(), target.port(), FAST, previous));
            systemLevel = true; // from the first ALTER SYSTEM on, revert() puts back whatever got applied
            Map<String, String> applied = new LinkedHashMap<>();
            try (Statement st = c.createStatement()) {
                for (var e : FAST.entrySet()) {
                    st.execute(set(e.getKey(), e.getValue()));
                    applied.put(e.getKey(), e.getValue());
                }
                st.execute("SELECT pg_reload_conf()");
            } catch (SQLException e) {
                if (!refused(e)) {
                    throw e;
                }
                log.warn("the target refused ALTER SYSTEM ({}): restores will use session-level settings only ({})",
                        e.getMessage(), sessionOptions());
                if (applied.isEmpty()) {
                    state.deleteJson(FILE);
                } else {
                    revert(new Record(target.host(), target.port(), applied, previous));
                }
                systemLevel = false;
                return false;
            }
            log.info("target fast-load settings applied: {}", FAST);
            return true;
        }
    }

    /** Reverts the settings this run applied, if any. */
    public void revert() throws SQLException {
        if (!systemLevel) {
            return;
        }
        var record = state.readJson(FILE, Record.class);
        if (record.isPresent()) {
            revert(record.get());
        }
        systemLevel = false;
    }

    /**
     * Puts back what the record says was applied (ALTER SYSTEM RESET, or the DBA's earlier ALTER SYSTEM value), reloads
     * and removes the record; nothing else on the target changes.
     */
    public void revert(Record record) throws SQLException {
        try (Connection c = Connections.open(target, target.database()); Statement st = c.createStatement()) {
            for (String name : record.applied().keySet()) {
                String before = record.previous().get(name);
                st.execute(before == null ? "ALTER SYSTEM RESET " + Identifiers.quote(name) : set(name, before));
            }
            Timestamp loaded = confLoadTime(st);
            st.execute("SELECT pg_reload_conf()");
            waitForReload(loaded);
            if (record.applied().keySet().stream().anyMatch(NEED_CHECKPOINT::contains)) {
                // back on, they protect only what is written from now: write and fsync what was left dirty
                st.execute("CHECKPOINT");
            }
        }
        wal.flush();
        state.deleteJson(FILE);
        log.info("target settings reverted");
    }

    /** The name quoted and the value a literal: both are read back from the state folder's record. */
    private static String set(String name, String value) {
        return "ALTER SYSTEM SET " + Identifiers.quote(name) + " = " + Identifiers.literal(value);
    }

    /**
     * pg_reload_conf() only signals the postmaster: wait until a new session has read the configuration after
     * {@code before} (a new session's pg_conf_load_time() is the postmaster's last reload).
     */
    private void waitForReload(Timestamp before) throws SQLException {
        for (int i = 0; i < 50; i++) {
            try (Connection fresh = Connections.open(target, target.database());
                 Statement st = fresh.createStatement()) {
                if (confLoadTime(st).after(before)) {
                    return;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        log.warn("the target did not reload its configuration within 5 s; check postgresql.auto.conf");
    }

    private static Timestamp confLoadTime(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT pg_conf_load_time()")) {
            rs.next();
            return rs.getTimestamp(1);
        }
    }

    /** ALTER SYSTEM values of our settings before the run; null where we may not read or change them. */
    private static Map<String, String> previousValues(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(Sql.get("auto_conf_settings"))) {
            ps.setArray(1, c.createArrayOf("text", FAST.keySet().toArray()));
            Map<String, String> out = new LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
            return out;
        } catch (SQLException e) {
            if ("42501".equals(e.getSQLState())) {
                return null;
            }
            throw e;
        }
    }

    /**
     * ALTER SYSTEM refused: no privilege (42501), or a PostgreSQL 17+ server started with allow_alter_system = off
     * (0A000), as some managed services and Kubernetes operators run it.
     */
    private static boolean refused(SQLException e) {
        return "42501".equals(e.getSQLState()) || "0A000".equals(e.getSQLState());
    }
}
