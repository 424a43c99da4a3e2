package io.pgmigrate.pipeline;

import io.pgmigrate.config.Endpoint;
import io.pgmigrate.postgres.Connections;
import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.postgres.Sql;
import io.pgmigrate.report.DatabaseReport;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscriptions arrive disabled: pg_dump writes them with {@code connect = false}, so the target replicates nothing
 * until an operator enables them, and it must not share a replication slot with the source's subscription. After
 * the restore, the summary says so for each database that has some.
 */
final class SubscriptionNote {
    private static final Logger log = LoggerFactory.getLogger(SubscriptionNote.class);
    private static final int NAMED = 5;

    private SubscriptionNote() {
    }

    /**
     * Adds the warning to the database's report when the target database holds disabled subscriptions, and returns
     * their names (none when they could not be read). Read in the database itself (pg_subscription is shared), over
     * the pooled connection its counts use next: no login of its own.
     */
    static List<String> addTo(DatabaseReport report, Connections connections, Endpoint target, String database) {
        try (Connection c = connections.pooled(target, database)) {
            List<String> names = disabled(c, database);
            message(names).ifPresent(message -> {
                log.warn("{}", message);
                report.warning(message);
            });
            return names;
        } catch (SQLException e) {
            log.warn("could not read the target's subscriptions: {}", e.getMessage());
            return List.of();
        }
    }

    private static List<String> disabled(Connection c, String database) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT to_regclass('pg_catalog.pg_subscription') IS NOT NULL")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return List.of(); // before PostgreSQL 10
            }
        }
        return Sql.strings(c, "disabled_subscriptions", database);
    }

    /** The one-line warning for these disabled subscriptions, if any. */
    static Optional<String> message(List<String> names) {
        if (names.isEmpty()) {
            return Optional.empty();
        }
        String named = Names.firstOf(names.stream().map(Identifiers::quote).toList(), NAMED);
        return Optional.of(names.size() + " subscription(s) arrived disabled (" + named + "): pg_dump restores them "
                + "with connect = false, so they replicate nothing yet; once the source's subscriptions no longer use "
                + "their replication slots (or after ALTER SUBSCRIPTION ... SET (slot_name = ...)), run ALTER "
                + "SUBSCRIPTION ... ENABLE and ALTER SUBSCRIPTION ... REFRESH PUBLICATION");
    }
}
