package io.pgmigrate.pipeline;

import io.pgmigrate.config.Endpoint;
import io.pgmigrate.process.ProcessSpec;
import java.nio.file.Path;
import java.sql.SQLException;

/** What the parts of one database's pipeline (how data moves, the delayed phase) share with the pipeline. */
interface PipelineSteps {
    /** Runs a step and records its duration in the database's report. */
    void timed(Phase phase, DatabasePipeline.VoidStep step) throws SQLException, InterruptedException;

    /** The database's folder (or file) under --dump-root, with a suffix ("", ".delayed", ".schema"). */
    Path dumpDir(String suffix);

    /**
     * The spec ready to connect to the server: its password in the child's environment (never in argv), and the
     * session settings every client tool of a database gets (PGOPTIONS).
     */
    ProcessSpec connecting(ProcessSpec spec, Endpoint server);

    /** Runs a pg_restore; any error it reports fails the database, with the errors in the summary. */
    void runRestore(ProcessSpec spec, Path logFile);

    /** The target database is about to change: what was counted, verified or analyzed of it no longer holds. */
    void targetChanging();
}
