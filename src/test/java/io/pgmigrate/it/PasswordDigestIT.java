package io.pgmigrate.it;

import static io.pgmigrate.it.DelayedTablesIT.exec;
import static io.pgmigrate.it.FullMigrationIT.lit;
import static io.pgmigrate.it.FullMigrationIT.one;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgmigrate.embedded.EmbeddedServer;
import io.pgmigrate.testbed.Migration;
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
                    List.of(), RowCheck.NONE, 1, true, Map.of());
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

    /**
     * 9.6 can store a password in plain text; a 10+ target hashes it on arrival (scram-sha-256 by default, md5 when
     * asked), so the stored values never match: the target's hash of the source's text is the same password, a hash
     * of another text is not, and the text is nowhere in what the migration and the verification write.
     */
    @Test
    void aPlainTextPasswordFrom96IsComparedWithTheTargetsHashOfItWithoutShowingIt() throws Exception {
        EmbeddedServer old = TestServers.get(TestServers.SOURCE_96);
        EmbeddedServer newer = TestServers.get(TestServers.TARGET_18);
        String role = "vpw Plain";
        String quoted = "\"vpw Plain\"";
        String plain = "Plain-Text-96!";
        String db = "vpw_plain";
        exec(old, "postgres", "CREATE DATABASE " + db,
                "CREATE ROLE " + quoted + " LOGIN UNENCRYPTED PASSWORD " + lit(plain));
        try {
            assertThat(one(old, "postgres", "SELECT rolpassword FROM pg_authid WHERE rolname = " + lit(role)))
                    .as("stored as it was given").isEqualTo(plain);
            Migration migration = new Migration(old, newer, work.resolve("run")).with("--include-db", db);
            assertThat(migration.run()).as("the migration, verified at its end").isEqualTo(0);
            assertThat(one(newer, "postgres", "SELECT rolpassword FROM pg_authid WHERE rolname = " + lit(role)))
                    .startsWith("SCRAM-SHA-256$");
            assertThat(roleDifferences(old, newer, quoted, plain)).as("scram-sha-256 of the same text").isEmpty();

            exec(newer, "postgres", "SET password_encryption = 'md5'",
                    "ALTER ROLE " + quoted + " PASSWORD " + lit(plain));
            assertThat(roleDifferences(old, newer, quoted, plain)).as("md5 of the same text").isEmpty();

            exec(newer, "postgres", "ALTER ROLE " + quoted + " PASSWORD 'another one'");
            assertThat(roleDifferences(old, newer, quoted, plain)).as("another text").hasSize(1);

            try (var files = Files.walk(work)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    assertThat(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1)).as("%s", file)
                            .doesNotContain(plain);
                }
            }
        } finally {
            for (EmbeddedServer side : List.of(old, newer)) {
                exec(side, "postgres", "DROP DATABASE IF EXISTS " + db, "DROP ROLE IF EXISTS " + quoted);
            }
        }
    }

    /** The differences verify finds in this role, whose printed report and JSON must not hold {@code secret}. */
    private List<Difference> roleDifferences(EmbeddedServer from, EmbeddedServer to, String quoted, String secret)
            throws Exception {
        VerificationReport report = VerificationRun.run(from.endpoint("source"), to.endpoint("target"), List.of(),
                RowCheck.NONE, 1, true, Map.of());
        Path json = Files.createTempFile(work, "verification", ".json");
        report.write(json);
        String printed = report.render() + Files.readString(json);
        assertThat(printed).doesNotContain(secret);
        return report.globals().stream().filter(d -> d.name().equals(quoted)).toList();
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
