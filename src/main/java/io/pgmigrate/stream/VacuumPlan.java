package io.pgmigrate.stream;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * How a finished table is vacuumed and analyzed, by the target's major version. Every VACUUM command ends by reading
 * the database's whole pg_class for its oldest unfrozen xid (vac_update_datfrozenxid; before 15 it reads it at its
 * start too, for pgstat_vacuum_stat), so one VACUUM per table makes finishing a database of N tables take O(N^2);
 * ANALYZE alone reads it for neither.
 * <ul>
 *   <li>16+: {@code VACUUM (ANALYZE, SKIP_DATABASE_STATS)} per table, then one {@code VACUUM (ONLY_DATABASE_STATS)}
 *       once every table is finished, as vacuumdb does.</li>
 *   <li>11 to 15: {@code ANALYZE} per table at once; the small tables are then vacuumed many to one command
 *       ({@code VACUUM t1, t2, ...}), more of them as more tables come, so the database's pg_class is read a number
 *       of times that grows with the logarithm of its tables; a big table is vacuumed on its own
 *       ({@code VACUUM (ANALYZE)}) as soon as it is finished, where its vacuum outweighs the read of pg_class.</li>
 *   <li>9.6 and 10 (no VACUUM of several tables): {@code VACUUM (ANALYZE)} per table.</li>
 * </ul>
 * A table copied {@code WITH (FREEZE)} needs no vacuum from 14 on: the copy set its visibility map. Before 14 it did
 * not, so it is vacuumed too (its rows are frozen already: the vacuum sets the map, for index-only scans).
 */
record VacuumPlan(int major) {
    /** Tables from this size on are vacuumed on their own, on a target of 11 to 15. */
    static final long BATCH_MAX_BYTES = 8L << 20;
    /** The fewest tables vacuumed by one command, on a target of 11 to 15. */
    static final int BATCH_MIN_TABLES = 64;

    static VacuumPlan of(Connection target) throws SQLException {
        return new VacuumPlan(target.getMetaData().getDatabaseMajorVersion());
    }

    /** What finishes the table now (a version of 9.6 is major 9). */
    String now(String table, long bytes, boolean frozen) {
        if (!needsVacuum(frozen) || batched(bytes, frozen)) {
            return "ANALYZE " + table;
        }
        return (major >= 16 ? "VACUUM (ANALYZE, SKIP_DATABASE_STATS) " : "VACUUM (ANALYZE) ") + table;
    }

    /** Whether the table is vacuumed later, with others ({@link #batch}). */
    boolean batched(long bytes, boolean frozen) {
        return major >= 11 && major < 16 && needsVacuum(frozen) && bytes < BATCH_MAX_BYTES;
    }

    /** How many tables waiting for {@link #batch} are vacuumed at once, when {@code handedIn} tables came so far. */
    static int batchSize(int handedIn) {
        return Math.max(BATCH_MIN_TABLES, handedIn / 8);
    }

    static String batch(List<String> tables) {
        return "VACUUM " + String.join(", ", tables);
    }

    /** What is run once every table of the database is finished, or null. */
    String atEnd() {
        return major >= 16 ? "VACUUM (ONLY_DATABASE_STATS)" : null;
    }

    private boolean needsVacuum(boolean frozen) {
        return !frozen || major < 14;
    }
}
