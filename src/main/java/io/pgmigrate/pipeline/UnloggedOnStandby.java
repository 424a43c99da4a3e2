package io.pgmigrate.pipeline;

import io.pgmigrate.MigrationException;
import io.pgmigrate.config.Endpoint;
import io.pgmigrate.postgres.Identifiers;
import java.util.ArrayList;
import java.util.List;

/**
 * Before any change, on a standby source: the selected databases must hold no unlogged table or sequence. Their rows
 * are not WAL-logged, so they never reach a standby, which refuses to read them: pg_dump there leaves their data out
 * without a word, the source counts and stream mode's copies fail, and each database failed only after the target
 * had its roles and the database created.
 */
final class UnloggedOnStandby {
    private static final int NAMED = 3;

    private UnloggedOnStandby() {
    }

    /** {@code survey}: read with the unlogged relations (of a standby source). */
    static void require(Endpoint source, SourceSurvey survey) {
        List<String> unlogged = new ArrayList<>();
        survey.databases().forEach((name, db) -> db.unlogged()
                .forEach(r -> unlogged.add(Identifiers.quote(name) + "." + r)));
        if (!unlogged.isEmpty()) {
            throw MigrationException.environment("the source " + source.host() + ":" + source.port() + " is a "
                    + "standby, which cannot read unlogged tables (their rows are not replicated), and the selected "
                    + "databases hold " + unlogged.size() + ": " + Names.firstOf(unlogged, NAMED)
                    + "; migrate from the primary, or leave those databases out with --exclude-db");
        }
    }
}
