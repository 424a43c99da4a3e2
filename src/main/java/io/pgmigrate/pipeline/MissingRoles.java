package io.pgmigrate.pipeline;

import io.pgmigrate.MigrationException;
import io.pgmigrate.config.Endpoint;
import io.pgmigrate.postgres.Connections;
import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.postgres.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * With {@code --migrate-globals=false} the run creates no role: every role the selected source databases name (an
 * owner, a grantee or grantor, a role of default privileges, policies, user mappings or settings: see
 * sql/database_roles.sql) must exist on the target already, or each database that names one would be created and
 * half restored before its restore failed on it; so must each role a role setting's value names (a database's, or a
 * function's: sql/setting_roles.sql), or the restore keeps the setting and the target behaves differently. Checked before any change, by name: PUBLIC is no role, the
 * predefined roles the source has exist on any target of its version or newer, and what initdb made stays each
 * server's own.
 */
final class MissingRoles {
    private static final int NAMED_DATABASES = 3;

    private MissingRoles() {
    }

    /** Throws an environment error (exit 3) naming every role of {@code survey} the target lacks. */
    static void require(Endpoint target, SourceSurvey survey) throws SQLException {
        Set<String> present;
        try (Connection c = Connections.open(target, target.database())) {
            present = new HashSet<>(Sql.strings(c, "role_names"));
        }
        Map<String, Set<String>> missing = missing(survey, present);
        if (!missing.isEmpty()) {
            throw MigrationException.environment(message(missing, target));
        }
    }

    /** The roles the survey's databases name and {@code present} lacks, each with the databases naming it, sorted. */
    static Map<String, Set<String>> missing(SourceSurvey survey, Set<String> present) {
        Map<String, Set<String>> out = new TreeMap<>();
        survey.databases().forEach((db, found) -> found.roles().stream().filter(r -> !present.contains(r))
                .forEach(r -> out.computeIfAbsent(r, k -> new TreeSet<>()).add(db)));
        return out;
    }

    /** One line: every missing role, where it is named, what to do. */
    static String message(Map<String, Set<String>> missing, Endpoint target) {
        String roles = missing.entrySet().stream().map(e -> Identifiers.quote(e.getKey()) + " (in "
                + Names.firstOf(e.getValue().stream().map(Identifiers::quote).toList(), NAMED_DATABASES) + ")")
                .collect(Collectors.joining(", "));
        return "the target " + target.host() + ":" + target.port() + " lacks " + missing.size() + " role(s) that the "
                + "selected databases name (owning, granting or granted something, or in default privileges, "
                + "policies, user mappings or settings), and --migrate-globals=false creates none: " + roles
                + "; create them on the target first, or let the run create them without --migrate-globals=false";
    }
}
