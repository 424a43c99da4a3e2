package io.pgmigrate.process;

import io.pgmigrate.ExitCode;
import io.pgmigrate.MigrationException;

/**
 * The run is being cancelled (Ctrl-C, SIGTERM, or the calling thread was interrupted): a child process was stopped,
 * or a new one was refused. Not a failure of the database being migrated.
 */
public class CancelledException extends MigrationException {

    public CancelledException(String message) {
        super(ExitCode.INTERRUPTED, message);
    }
}
