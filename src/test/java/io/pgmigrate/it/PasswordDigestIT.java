package io.pgmigrate.it;

import static io.pgmigrate.it.DelayedTablesIT.exec;
import static io.pgmigrate.it.FullMigrationIT.lit;
import static io.pgmigrate.it.FullMigrationIT.one;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgmigrate.embedded.EmbeddedServer;
import io.pgmigrate.testbed.TestServers;
import io.pgmigrate.verify.Difference;
import io.pgmigrate.verify.RowCheck;
import io.pgmigrate.verify.VerificationReport;
import io.pgmigrate.verify.VerificationRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Roles are compared with their password hashes, and a role that differs is printed in the report, the summary and
 * the logs. An md5 hash is md5(password || role name), so anything printed that is a function of the hash alone
 * (the hash, a digest of it) lets a reader test guessed passwords offline: the printed digest must be keyed by a
 * secret of the run's, and still tell the same hash from another.
 */
class PasswordDigestIT {
    private static final String SAME = "vpw_same";
    private static final String OTHER = "vpw_other";

    private final EmbeddedServer source = TestServers.get(TestServers.SOURCE_12);
    private final EmbeddedServer target = TestServers.get(TestServers.TARGET_17);

    @TempDir
    Path work;

    @Test
    void aRoleWithAnotherPasswordDiffersWithoutPrintingAnythingTestableOffline() throws Exception {
        String same = md5Hash("right", SAME);
        try {
            roles(source, same, md5Hash("guessable", OTHER));
            roles(target, same, md5Hash("changed", OTHER));

            VerificationReport report = VerificationRun.run(source.endpoint("source"), target.endpoint("target"),
                    List.of(), RowCheck.NONE, 1, Map.of());
            report.write(work.resolve("verification.json"));
            String printed = report.render() + Files.readString(work.resolve("verification.json"));

            assertThat(report.globals()).as(printed).filteredOn(d -> d.name().startsWith("vpw_"))
                    .extracting(Difference::name).containsExactly(OTHER);
            for (String role : List.of(SAME, OTHER)) {
                for (EmbeddedServer side : List.of(source, target)) {
                    String hash = one(side, "postgres",
                            "SELECT rolpassword FROM pg_authid WHERE rolname = " + lit(role));
                    String unkeyed = one(side, "postgres", "SELECT md5(" + lit(hash) + ")");
                    assertThat(printed).as("%s on %s", role, side).doesNotContain(hash)
                            .doesNotContain(unkeyed.substring(0, 8));
                }
            }
        } finally {
            for (EmbeddedServer side : List.of(source, target)) {
                exec(side, "postgres", "DROP ROLE IF EXISTS " + SAME, "DROP ROLE IF EXISTS " + OTHER);
            }
        }
    }

    /** The two roles on one server, with these md5 hashes given as they are stored. */
    private static void roles(EmbeddedServer server, String same, String other) throws SQLException {
        exec(server, "postgres", "CREATE ROLE " + SAME + " LOGIN PASSWORD '" + same + "'",
                "CREATE ROLE " + OTHER + " LOGIN PASSWORD '" + other + "'");
    }

    /** How PostgreSQL stores a password with md5: "md5" and md5(password || role name). */
    private String md5Hash(String password, String role) throws SQLException {
        return one(source, "postgres", "SELECT 'md5' || md5(" + lit(password + role) + ")");
    }
}
