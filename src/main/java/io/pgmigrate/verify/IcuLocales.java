package io.pgmigrate.verify;

import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.postgres.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ICU locales as a 16+ target keeps them. 16 made CREATE COLLATION and CREATE DATABASE store an ICU locale as its
 * BCP 47 language tag (de_DE as de-DE, de@colStrength=secondary as de-u-ks-level2, und@colNumeric=yes as
 * und-u-kn-true), where an older server, or a 16+ one pg_upgrade'd from it, keeps the text it was given: the
 * collation a restore makes from that text on a 16+ target is the same, the text it keeps is not. So where a
 * collation's or a database's ICU locale differs between the two sides, the source's is compared as the target
 * itself turns it into a tag, with the target's ICU library: 16+ has no function for it, so a temporary collation is
 * made from it in a transaction that is rolled back, with the event triggers off (one could write where a rollback
 * does not reach: a sequence, say; 17+ turns them all off, 16 those a replica session skips), which leaves nothing
 * behind. A locale the target refuses (icu_validation_level = error, a read-only server) is compared as it is, and
 * so is every one on a 16 target with an event trigger enabled ALWAYS or REPLICA for CREATE COLLATION.
 */
final class IcuLocales {
    /** A collation's description (schema_catalog.sql): "provider=i locale=... [rules=...] deterministic=...". */
    private static final Pattern COLLATION = Pattern.compile("^provider=i locale=(.*?) (?:rules=|deterministic=)");
    /** A database's locale provider property: "i " and its ICU locale. */
    private static final Pattern DATABASE = Pattern.compile("^i (.*)$");
    private static final String DATABASE_KEY = Descriptions.key("database", "locale provider");
    private static final String COLLATION_KIND = Descriptions.key("collation", "");
    private static final String PROBE = "pg_temp.pg_migrate_icu_tag";

    private IcuLocales() {
    }

    /**
     * Rewrites, in {@code source}, each ICU locale of a collation or of the database whose description differs from
     * {@code target}'s as the target keeps it.
     *
     * @param c a connection to the target, 16 or later
     */
    static void asTargetKeeps(Connection c, Map<String, String> source, Map<String, String> target)
            throws SQLException {
        for (Map.Entry<String, String> entry : source.entrySet()) {
            String other = target.get(entry.getKey());
            if (other == null || other.equals(entry.getValue())) {
                continue;
            }
            Pattern pattern = entry.getKey().equals(DATABASE_KEY) ? DATABASE
                    : entry.getKey().startsWith(COLLATION_KIND) ? COLLATION : null;
            Matcher m = pattern == null ? null : pattern.matcher(entry.getValue());
            if (m != null && m.find()) {
                entry.setValue(new StringBuilder(entry.getValue()).replace(m.start(1), m.end(1), tag(c, m.group(1)))
                        .toString());
            }
        }
    }

    /** The locale as the target keeps it when CREATE COLLATION or CREATE DATABASE is given {@code locale}. */
    static String tag(Connection c, String locale) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            if (c.getMetaData().getDatabaseMajorVersion() >= 17) {
                st.execute("SET LOCAL event_triggers = off");
            } else {
                st.execute("SET LOCAL session_replication_role = replica");
                if (!Sql.strings(c, "icu_probe_triggers").isEmpty()) {
                    return locale;
                }
            }
            st.execute("CREATE COLLATION " + PROBE + " (provider = icu, locale = " + Identifiers.literal(locale) + ")");
            return Sql.strings(c, "icu_collation_locale", PROBE).get(0);
        } catch (SQLException e) {
            return locale;
        } finally {
            c.rollback();
            c.setAutoCommit(autoCommit);
        }
    }
}
