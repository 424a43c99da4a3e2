package io.pgmigrate.pipeline;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the target's event triggers from firing on DDL the migration itself runs once they are restored: the
 * delayed phase's DROP INDEX, pg_restore's ALTER TABLE ... DISABLE TRIGGER, CREATE INDEX and ADD FOREIGN KEY. A
 * DDL-logging trigger would add rows the source does not have (a count difference), a refusing one would stop the
 * phase. {@code session_replication_role = replica} stops every event trigger left at the default (ENABLE, which
 * fires in origin mode only); on PostgreSQL 17+ {@code event_triggers = off} stops all of them, ENABLE ALWAYS too.
 * Both settings need a superuser (or, from 15 on, a SET grant): without one the DDL runs as before.
 */
final class QuietDdl {
    private static final Logger log = LoggerFactory.getLogger(QuietDdl.class);
    private static final String PERMISSION_DENIED = "42501";

    private QuietDdl() {
    }

    /**
     * Quiets this session. Returns the same settings as PGOPTIONS for a client tool (pg_restore) of the same user,
     * or empty when the user may not set them.
     */
    static Optional<String> apply(Connection c) throws SQLException {
        int major = c.getMetaData().getDatabaseMajorVersion();
        try (Statement st = c.createStatement()) {
            st.execute("SET session_replication_role = replica");
            if (major >= 17) {
                st.execute("SET event_triggers = off");
            }
        } catch (SQLException e) {
            if (!PERMISSION_DENIED.equals(e.getSQLState())) {
                throw e;
            }
            log.debug("cannot keep event triggers from firing on the migration's own DDL: {}", e.getMessage());
            return Optional.empty();
        }
        return Optional.of(pgOptions(major));
    }

    /** The settings as PGOPTIONS, for a server of this major version. */
    static String pgOptions(int majorVersion) {
        return "-c session_replication_role=replica" + (majorVersion >= 17 ? " -c event_triggers=off" : "");
    }
}
