package io.pgmigrate.pipeline;

import io.pgmigrate.config.MigrationConfig;
import io.pgmigrate.postgres.Connections;
import io.pgmigrate.process.ClientTools;
import io.pgmigrate.process.ProcessRunner;
import io.pgmigrate.report.RunReport;
import io.pgmigrate.state.StateStore;
import io.pgmigrate.stream.CopyScheduler;
import io.pgmigrate.verify.RowCounter;
import java.util.concurrent.Semaphore;

/**
 * What every database pipeline of a run shares; {@code sourceLocks}: the source's lock table, which the dumps share;
 * {@code copies}: stream mode's copy workers and {@code indexJobs}
 * its index build permits (both null in dump mode); {@code managed}: the target login is not a superuser
 * ({@link ManagedTarget}).
 */
public record RunContext(
        MigrationConfig config,
        StateStore state,
        Slots slots,
        SourceLocks sourceLocks,
        Connections connections,
        RowCounter counter,
        ClientTools tools,
        ProcessRunner runner,
        DatabaseCreator creator,
        Cancellation cancellation,
        boolean sessionTuning,
        DelayedTables delayed,
        RunReport run,
        CopyScheduler copies,
        Semaphore indexJobs,
        boolean managed) {
}
