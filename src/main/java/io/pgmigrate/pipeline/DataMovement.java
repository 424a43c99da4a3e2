package io.pgmigrate.pipeline;

import io.pgmigrate.postgres.DelayedDdl;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How one database's schema and data get from the source to the target: the strategy {@code --mode} picks.
 * The pipeline around it (slots, snapshot, counts, verification, markers of the other steps, the delayed phase,
 * summary, cancellation) is the same for every strategy.
 *
 * <p>The pipeline calls {@link #dump} in a source slot, in the database's exported snapshot (when the source can
 * export one), unless {@link #sourceSideDone()}; then {@link #restore} in a target slot unless the database is
 * {@code DONE}. A strategy that {@link #readsSourceDuringRestore() reads the source during the restore} gets the
 * snapshot held open until {@link #restore} returns.
 */
interface DataMovement {

    /** An earlier run's source side stands: no new snapshot, no dump; the cached source counts are used. */
    boolean sourceSideDone();

    /**
     * Source slot: reads from the source what the target side needs. A strategy whose dump a later run may resume
     * from marks {@code DUMPED} itself (its caller clears the marker first): the marker must not let one strategy
     * resume from what another left.
     */
    void dump(Optional<SourceSnapshot> snapshot) throws SQLException, InterruptedException;

    /** The restore reads the source (in the snapshot), so the snapshot stays open until it returns. */
    boolean readsSourceDuringRestore();

    /**
     * Target slot: brings the schema and the data into the (created) target database and marks it {@code DONE};
     * resumes what an earlier run left half done. {@code ddl}: the foreign keys into delayed tables to leave out
     * (added back by the delayed phase), or null.
     */
    void restore(Optional<SourceSnapshot> snapshot, DelayedDdl ddl) throws SQLException, InterruptedException;

    /**
     * Tables ({@link io.pgmigrate.postgres.TableRef#key}) whose source count the restore will read from its own copy
     * in the snapshot, so they need not be counted before it; known once {@link #dump} has run.
     */
    default Set<String> countedByCopy() {
        return Set.of();
    }

    /** After the restore: the rows each table's copy read from the source, by table key. */
    default Map<String, Long> copiedRows() {
        return Map.of();
    }

    /** Tables ({@link io.pgmigrate.postgres.TableRef#key}) the restore analyzed already: the ANALYZE step skips them. */
    default Set<String> analyzedTables() {
        return Set.of();
    }
}
