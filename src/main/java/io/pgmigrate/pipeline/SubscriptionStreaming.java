package io.pgmigrate.pipeline;

import io.pgmigrate.config.Endpoint;
import io.pgmigrate.postgres.Connections;
import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.postgres.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL 18 made {@code streaming = parallel} the default of a subscription; pg_dump before 18 writes no
 * streaming option for a subscription that streams nothing, so on an 18+ target it would arrive streaming in
 * parallel. After the restore, each such subscription is set back to {@code streaming = off}, as on the source.
 * Setting it again on a resumed run changes nothing. Only the subscriptions the restore brought (they arrive
 * disabled) are touched: one created on the source since the snapshot, dropped or enabled on the target by a DBA is
 * left alone; a database without any costs no login.
 */
final class SubscriptionStreaming {
    private static final Logger log = LoggerFactory.getLogger(SubscriptionStreaming.class);
    static final int DEFAULT_CHANGED = 18;

    private SubscriptionStreaming() {
    }

    /** {@code restored}: the database's disabled subscriptions on the target. */
    static void keepOff(Endpoint source, Endpoint target, String database, List<String> restored)
            throws SQLException {
        try (Connection t = Connections.open(target, database)) {
            if (t.getMetaData().getDatabaseMajorVersion() < DEFAULT_CHANGED) {
                return;
            }
            List<String> names;
            try (Connection s = Connections.open(source, source.database())) {
                if (s.getMetaData().getDatabaseMajorVersion() < 10) {
                    return; // no subscriptions before 10
                }
                names = Sql.strings(s, "subscriptions_streaming_off", database);
            }
            names.retainAll(restored);
            try (Statement st = t.createStatement()) {
                for (String name : names) {
                    st.execute("ALTER SUBSCRIPTION " + Identifiers.quote(name) + " SET (streaming = off)");
                }
            }
            if (!names.isEmpty()) {
                log.info("{} subscription(s) kept at streaming = off, as on the source (18 streams in parallel by "
                        + "default)", names.size());
            }
        }
    }
}
