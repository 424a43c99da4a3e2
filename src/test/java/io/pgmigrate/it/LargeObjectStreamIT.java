package io.pgmigrate.it;

import static io.pgmigrate.it.DelayedTablesIT.exec;
import static io.pgmigrate.it.FullMigrationIT.one;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgmigrate.embedded.EmbeddedServer;
import io.pgmigrate.testbed.Launcher;
import io.pgmigrate.testbed.Migration;
import io.pgmigrate.testbed.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stream mode copies large objects server to server, several workers at once, in the snapshot: same oids, content,
 * owners, ACLs (grant options, grantors, the owner's own privileges revoked) and comments; none of it goes through
 * the schema archive; a run killed in the middle of the copy resumes to exactly the source's large objects.
 */
class LargeObjectStreamIT {
    /** Every large object as one line: oid, owner, ACL, comment, content digest. */
    private static final String CATALOG = "SELECT count(*) || E'\\n' || coalesce(string_agg(m.oid || ' ' "
            + "|| pg_get_userbyid(m.lomowner) || ' ' || coalesce(m.lomacl::text, '-') || ' ' "
            + "|| coalesce(obj_description(m.oid, 'pg_largeobject'), '-') || ' ' || md5(lo_get(m.oid)), E'\\n' "
            + "ORDER BY m.oid), '') FROM pg_largeobject_metadata m";

    @TempDir
    Path work;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({TestServers.SOURCE_96 + "," + TestServers.TARGET_17, TestServers.PG15 + "," + TestServers.TARGET_18})
    void largeObjectsArriveExactlyWithoutGoingThroughTheArchive(String from, String to) throws Exception {
        EmbeddedServer source = TestServers.get(from);
        EmbeddedServer target = TestServers.get(to);
        String prefix = "lo" + from.replaceAll("\\D", "").substring(0, 2);
        String db = prefix + "_objects";
        createLargeObjects(source, db, prefix, 6000, 4);
        String expected = one(source, db, CATALOG);
        // the fixture has what it claims: grant options, a grantor other than the owner, an owner that revoked its
        // own privileges, an empty ACL, PUBLIC, comments, odd role names
        assertThat(expected).startsWith("6008\n").contains("*/").contains("=r/" + prefix + "_c}").contains(" {} ")
                .contains(" " + prefix + " b\"q ").contains(" it's ");

        Migration migration = new Migration(source, target, work).with("--include-db", db, "--mode", "stream",
                "--table-jobs", "3");
        assertVerifiedEqual(migration.run(), migration.migrateState());
        assertThat(one(target, db, CATALOG)).isEqualTo(expected);
        assertThat(toolLog(migration.migrateState())).contains("copied 6008 large object(s)");

        Path archive = work.resolve("dumps").resolve(db + ".schema");
        assertThat(archive).exists();
        assertThat(Files.size(archive)).as("the schema archive holds no large object data").isLessThan(64 * 1024);
        // the verification sees a comment changed on the target, an owner changed alone, and one byte changed in
        // the third megabyte of an object (each is read 1 MB at a time)
        for (String change : List.of("COMMENT ON LARGE OBJECT 990003 IS 'changed'",
                "ALTER LARGE OBJECT 990003 OWNER TO " + quote(prefix + "_a"),
                "SELECT lo_put(900001, 2500000, decode(lpad(to_hex(255 - get_byte(lo_get(900001, 2500000, 1), 0)), "
                        + "2, '0'), 'hex'))")) {
            exec(target, db, change);
            VerifyIT.Outcome outcome = VerifyIT.verify(source, target, db, work.resolve("verify.json"));
            assertThat(outcome.code()).as(change).isEqualTo(7);
            assertThat(outcome.json().toString()).as(change).contains("large objects");
            exec(target, db, "COMMENT ON LARGE OBJECT 990003 IS NULL", "ALTER LARGE OBJECT 990003 OWNER TO "
                    + quote(target.superuser()));
        }

        // (the post-data restore's list is pg_restore --list of the whole archive)
        assertThat(Files.readString(migration.migrateState().resolve(db + ".pg_restore.post-data.list")))
                .contains("TABLE public refs").doesNotContain("BLOB");
    }

    /** KILL: nothing of the tool runs after it. TERM: the workers' connections are aborted at once, exit 143. */
    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"KILL", "TERM"})
    void stoppedDuringTheLargeObjectCopyThenResumedEndsExact(String signal) throws Exception {
        EmbeddedServer source = TestServers.get(TestServers.SOURCE_12);
        EmbeddedServer target = TestServers.get(TestServers.TARGET_17);
        String prefix = "lo" + signal.toLowerCase(java.util.Locale.ROOT);
        String db = prefix + "_objects";
        // 50 batches of small ones and the big ones: seconds of copying for the signal to land in
        createLargeObjects(source, db, prefix, 10_000, 12);
        String expected = one(source, db, CATALOG);
        long total = Long.parseLong(expected.substring(0, expected.indexOf('\n')));
        List<String> args = new ArrayList<>(List.of("--include-db", db, "--mode", "stream", "--table-jobs", "2"));
        args.addAll(Launcher.SMALL_KNOBS);
        String count = "SELECT count(*)::text FROM pg_largeobject_metadata";
        try (Launcher run = Launcher.migrate(work, source, target, args)) {
            run.waitUntil(Duration.ofMinutes(3), "the large object copy under way", () -> {
                String n = Files.exists(work.resolve("pg_migrate_state").resolve(db + ".pre_data"))
                        ? one(target, db, count) : null;
                return n != null && Long.parseLong(n) > 0;
            });
            run.signal(signal);
            int code = run.waitFor(Duration.ofSeconds(30));
            if (signal.equals("TERM")) {
                assertThat(code).as(run.outputTail()).isEqualTo(143);
                String sessions = "SELECT count(*)::text FROM pg_stat_activity WHERE datname = '" + db
                        + "' AND application_name = 'pg-migrate'";
                for (int i = 0; i < 50 && !"0".equals(one(target, "postgres", sessions)); i++) {
                    Thread.sleep(100); // a backend ends once it sees its client gone
                }
                assertThat(one(target, "postgres", sessions)).as("sessions left by the stopped tool").isEqualTo("0");
            }
        }
        long copied = Long.parseLong(one(target, db, count));
        assertThat(copied).as("killed in the middle of the copy").isBetween(1L, total - 1);
        // the batches whose line made it to the journal stay; whatever else the target holds is copied again
        Path journal = work.resolve("pg_migrate_state").resolve(db + ".copied");
        List<String> batches = Files.readAllLines(journal).stream()
                .filter(l -> l.matches("\"large objects \\d+-\\d+ \\(\\d+\\)\"")).toList();
        long kept = 0;
        for (String line : batches) {
            String[] range = line.replaceAll(" \\(.*", "").replaceAll("[^0-9-]", "").split("-");
            long held = Long.parseLong(line.replaceAll(".*\\((\\d+)\\).*", "$1"));
            assertThat(one(source, db, "SELECT count(*)::text FROM pg_largeobject_metadata WHERE oid BETWEEN "
                    + range[0] + " AND " + range[1])).as("the count in " + line).isEqualTo(Long.toString(held));
            kept += held;
        }
        assertThat(kept).as("journaled batches are on the target").isLessThanOrEqualTo(copied);

        try (Launcher again = Launcher.migrate(work, source, target, args)) {
            assertVerifiedEqual(again.waitFor(Duration.ofMinutes(5)), again.migrateState());
            String log = toolLog(again.migrateState());
            if (!batches.isEmpty()) {
                assertThat(log).contains(batches.size() + " of " + (total + 199) / 200 + " large object batch(es) "
                        + "were copied by an earlier run", kept + " large object(s) were copied by an earlier run, "
                        + "from its snapshot");
            }
            if (copied > kept) {
                assertThat(log).contains("unlinked the " + (copied - kept) + " large object(s)");
            }
            assertThat(log).as("only the batches not journaled are copied").contains("copied " + (total - kept)
                    + " large object(s)");
        }
        assertThat(one(target, db, CATALOG)).isEqualTo(expected);
    }

    /**
     * {@code small} small large objects owned by three roles with assorted ACLs and comments, and {@code big} of
     * about 3 MB (one exactly 1 MB, one empty).
     */
    static void createLargeObjects(EmbeddedServer server, String db, String prefix, int small, int big)
            throws Exception {
        String a = prefix + "_a";
        String b = prefix + " b\"q";
        String c = prefix + "_c";
        exec(server, "postgres", "CREATE DATABASE " + db);
        for (String role : List.of(a, b, c)) {
            exec(server, "postgres", "DROP ROLE IF EXISTS " + quote(role), "CREATE ROLE " + quote(role));
        }
        exec(server, db,
                "CREATE TABLE refs (id serial PRIMARY KEY, lo oid NOT NULL)",
                "INSERT INTO refs (lo) SELECT 100000 + g FROM generate_series(1, " + small + ") g",
                "SELECT count(lo_from_bytea(100000 + g, convert_to('small ' || g || repeat('x', g % 300), 'UTF8'))) "
                        + "FROM generate_series(1, " + small + ") g",
                "SELECT count(lo_from_bytea(900000 + g, (SELECT decode(string_agg(md5(g::text || i::text), ''), "
                        + "'hex') FROM generate_series(1, 200000 + g) i))) FROM generate_series(1, " + big + ") g",
                "SELECT lo_from_bytea(990001, decode(string_agg(md5(i::text), ''), 'hex')) "
                        + "FROM generate_series(1, 65536) i",
                "SELECT lo_from_bytea(990002, '')",
                "SELECT lo_from_bytea(990003, 'owned by the superuser, untouched')",
                "SELECT lo_from_bytea(990004, 'owner revoked everything')",
                "ALTER LARGE OBJECT 990004 OWNER TO " + quote(a),
                "REVOKE ALL ON LARGE OBJECT 990004 FROM " + quote(a));
        // ALTER LARGE OBJECT locks the object until the commit: a few thousand per transaction
        for (int from = 0; from < 1_000_000; from += 5000) {
            exec(server, db, "DO $$ DECLARE o bigint; BEGIN FOR o IN SELECT oid::bigint FROM pg_largeobject_metadata "
                        + "WHERE oid >= " + from + " AND oid < " + Math.min(from + 5000, 990_000) + " LOOP "
                        + "IF o % 3 = 0 THEN EXECUTE format('ALTER LARGE OBJECT %s OWNER TO %I', o, " + lit(a) + "); "
                        + "ELSIF o % 3 = 1 THEN EXECUTE format('ALTER LARGE OBJECT %s OWNER TO %I', o, " + lit(b)
                        + "); END IF; "
                        + "IF o % 7 = 0 THEN EXECUTE format('GRANT SELECT ON LARGE OBJECT %s TO %I', o, " + lit(c)
                        + "); END IF; "
                        + "IF o % 11 = 0 THEN "
                        + "EXECUTE format('GRANT SELECT, UPDATE ON LARGE OBJECT %s TO %I WITH GRANT OPTION', o, "
                        + lit(c) + "); EXECUTE format('SET ROLE %I', " + lit(c) + "); "
                        + "EXECUTE format('GRANT SELECT ON LARGE OBJECT %s TO PUBLIC', o); RESET ROLE; END IF; "
                        + "IF o % 39 = 0 THEN EXECUTE format('REVOKE UPDATE ON LARGE OBJECT %s FROM %I', o, "
                        + lit(a) + "); END IF; "
                        + "IF o % 5 = 0 THEN EXECUTE format('COMMENT ON LARGE OBJECT %s IS %L', o, "
                        + "'note ' || o || ' it''s'); END IF; "
                        + "END LOOP; END $$");
        }
    }

    /**
     * The run's verification found its one database equal: exit 0, or 7 when only global objects differ (other
     * tests on these shared servers change roles after their own migrations).
     */
    private static void assertVerifiedEqual(int code, Path migrateState) throws java.io.IOException {
        JsonNode verification = new ObjectMapper().readTree(migrateState.resolve("verification.json").toFile());
        assertThat(code).as(verification.toString()).isIn(0, 7);
        assertThat(verification.get("databases")).hasSize(1);
        assertThat(verification.get("databases").get(0).get("equal").asBoolean()).as(verification.toString())
                .isTrue();
    }

    private static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static String lit(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** The run's own log file (debug level). */
    private static String toolLog(Path migrateState) throws java.io.IOException {
        try (var files = Files.list(migrateState.resolve("logs"))) {
            StringBuilder all = new StringBuilder();
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith("pg-migrate-")).toList()) {
                all.append(Files.readString(p));
            }
            return all.toString();
        }
    }
}
