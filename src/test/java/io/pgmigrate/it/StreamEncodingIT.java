package io.pgmigrate.it;

import static io.pgmigrate.it.DelayedTablesIT.exec;
import static io.pgmigrate.it.FullMigrationIT.one;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgmigrate.embedded.EmbeddedServer;
import io.pgmigrate.testbed.Migration;
import io.pgmigrate.testbed.TestServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * What stream mode's COPY must not change on the way: the bytes of a SQL_ASCII database (not UTF-8, so pgjdbc's
 * usual client encoding would have the target reject them) and XML content fragments on a target whose default
 * xmloption is "document"; money from a source whose lc_monetary prints it another way (in dump mode too). Each in
 * binary COPY (built-in types only) and in text COPY (a table with an enum). And a database setting naming a locale
 * the target lacks.
 */
class StreamEncodingIT {
    @TempDir
    Path work;

    private final EmbeddedServer source = TestServers.get(TestServers.SOURCE_12);

    @Test
    void sqlAsciiBytesAndXmlFragmentsArriveAsTheyAre() throws Exception {
        String ascii = "stm_sql_ascii";
        String xml = "stm_xml";
        exec(source, "postgres", "CREATE DATABASE " + ascii
                + " ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0", "CREATE DATABASE " + xml);
        // every byte but NUL, and Latin-1 words: valid in SQL_ASCII, invalid UTF-8
        String bytes = "SELECT g, string_agg(chr(b), '' ORDER BY b) || ' caf' || chr(233) || ' na' || chr(239) || 've' "
                + "FROM generate_series(1, 50) g, generate_series(1, 255) b GROUP BY g";
        exec(source, ascii,
                "CREATE TYPE mood AS ENUM ('calm')",
                "CREATE TABLE plain (id int PRIMARY KEY, v text NOT NULL)",
                "INSERT INTO plain " + bytes,
                "CREATE TABLE with_enum (id int PRIMARY KEY, v text NOT NULL, m mood NOT NULL DEFAULT 'calm')",
                "INSERT INTO with_enum (id, v) " + bytes);
        String fragments = "SELECT g, xmlparse(CONTENT 'before <a n=\"' || g || '\"/> between <b/> after') "
                + "FROM generate_series(1, 100) g";
        exec(source, xml,
                "CREATE TYPE mood AS ENUM ('calm')",
                "CREATE TABLE plain (id int PRIMARY KEY, x xml NOT NULL)",
                "INSERT INTO plain " + fragments,
                "CREATE TABLE with_enum (id int PRIMARY KEY, x xml NOT NULL, m mood NOT NULL DEFAULT 'calm')",
                "INSERT INTO with_enum (id, x) " + fragments);

        try (EmbeddedServer target = TestServers.fresh(TestServers.TARGET_17, Map.of("xmloption", "document"))) {
            Migration migration = new Migration(source, target, work).with("--include-db", ascii,
                    "--include-db", xml, "--mode", "stream", "--verify", "checksum", "--log-level", "debug");
            assertThat(migration.run()).isEqualTo(0);

            assertThat(one(target, ascii, "SHOW server_encoding")).isEqualTo("SQL_ASCII");
            for (String table : new String[] {"plain", "with_enum"}) {
                // md5 of the bytes as stored (a query that returns them would convert them to UTF-8 and fail)
                String digest = "SELECT count(*) || ' ' || sum(octet_length(v)) || ' ' "
                        + "|| md5(string_agg(v, ',' ORDER BY id)) FROM " + table;
                assertThat(one(target, ascii, digest)).as(table).startsWith("50 ")
                        .isEqualTo(one(source, ascii, digest));
                String fragment = "SELECT count(*) || ' ' || md5(string_agg(x::text, ',' ORDER BY id)) FROM " + table;
                assertThat(one(target, xml, fragment)).as(table).startsWith("100 ")
                        .isEqualTo(one(source, xml, fragment));
            }
            // one table of each database went in binary, the other in text
            String log = StreamModeIT.toolLog(migration.migrateState());
            assertThat(log).containsPattern("copied \"public\"\\.\"plain\": 50 rows, .* \\(binary")
                    .containsPattern("copied \"public\"\\.\"with_enum\": 50 rows, .* \\(text")
                    .containsPattern("copied \"public\"\\.\"plain\": 100 rows, .* \\(binary")
                    .containsPattern("copied \"public\"\\.\"with_enum\": 100 rows, .* \\(text");
        }
    }

    /**
     * money is printed in the session's lc_monetary: a source in de_DE writes 1234567.89 as "1.234.567,89 €", which a
     * target in C cannot read. Stream mode's copy sessions pin lc_monetary on both sides, as the checksums do, and
     * dump mode's pg_dump and pg_restore get it through PGOPTIONS.
     */
    @ParameterizedTest
    @ValueSource(strings = {"stream", "dump"})
    void moneyArrivesExactlyFromASourceWithAnotherMonetaryLocale(String mode) throws Exception {
        Path locales = germanLocale();
        String db = "stm_money_" + mode;
        try (EmbeddedServer german = TestServers.fresh(TestServers.SOURCE_12, Map.of("lc_monetary", "de_DE.UTF-8"),
                Map.of("LOCPATH", locales.toString()))) {
            exec(german, "postgres", "CREATE DATABASE " + db);
            String values = "SELECT g, (ARRAY[1234567.89, -0.01, 92233720368547758.07, -92233720368547758.08, 0])[g]"
                    + "::numeric::money FROM generate_series(1, 5) g UNION ALL SELECT 6, NULL";
            exec(german, db,
                    "CREATE TYPE mood AS ENUM ('calm')",
                    "CREATE TABLE plain (id int PRIMARY KEY, m money)",
                    "INSERT INTO plain " + values,
                    "CREATE TABLE with_enum (id int PRIMARY KEY, m money, e mood NOT NULL DEFAULT 'calm')",
                    "INSERT INTO with_enum (id, m) " + values);
            assertThat(one(german, db, "SELECT m::text FROM plain WHERE id = 1")).isEqualTo("1.234.567,89 €");

            EmbeddedServer target = TestServers.get(TestServers.TARGET_17);
            Migration migration = new Migration(german, target, work.resolve(mode)).with("--include-db", db,
                    "--mode", mode, "--verify", "checksum", "--log-level", "debug");
            assertThat(migration.run()).isEqualTo(0);
            for (String table : new String[] {"plain", "with_enum"}) {
                String stored = "SELECT string_agg(id || ':' || coalesce(encode(cash_send(m), 'hex'), 'NULL'), ',' "
                        + "ORDER BY id) FROM " + table;
                assertThat(one(target, db, stored)).as(table).contains("6:NULL").isEqualTo(one(german, db, stored));
            }
            assertThat(one(target, db, "SELECT m::text FROM with_enum WHERE id = 1")).isEqualTo("$1,234,567.89");
            if (mode.equals("stream")) {
                String log = StreamModeIT.toolLog(migration.migrateState());
                assertThat(log).containsPattern("copied \"public\"\\.\"plain\": 6 rows, .* \\(binary")
                        .containsPattern("copied \"public\"\\.\"with_enum\": 6 rows, .* \\(text");
            }
        } finally {
            new ProcessBuilder("rm", "-rf", locales.toString()).start().waitFor();
        }
    }

    /**
     * A database setting the target cannot take (a locale it lacks) fails its database at the end, with the statement
     * named; once the setting is changed on the source, the next run finishes the database (its data is not copied
     * again).
     */
    @Test
    void aDatabaseSettingTheTargetRefusesIsNamedAndTheNextRunFinishesTheDatabase() throws Exception {
        Path locales = germanLocale();
        String db = "stm_locale_setting";
        try (EmbeddedServer german = TestServers.fresh(TestServers.SOURCE_12, Map.of(),
                Map.of("LOCPATH", locales.toString()))) {
            exec(german, "postgres", "CREATE DATABASE " + db,
                    "ALTER DATABASE " + db + " SET lc_monetary = 'de_DE.UTF-8'");
            exec(german, db, "CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t SELECT generate_series(1, 10)");
            EmbeddedServer target = TestServers.get(TestServers.TARGET_17);
            Migration first = new Migration(german, target, work).with("--include-db", db);
            assertThat(first.run()).isEqualTo(6);
            JsonNode database = new ObjectMapper().readTree(first.migrateState().resolve("summary.json").toFile())
                    .get("databases").get(0);
            assertThat(database.get("status").asText()).isEqualTo("failed");
            assertThat(database.get("errors").toString()).contains("the target refused ALTER DATABASE")
                    .contains("lc_monetary").contains("de_DE.UTF-8").contains("then run again");
            assertThat(one(target, db, "SELECT count(*)::text FROM t")).isEqualTo("10");

            exec(german, "postgres", "ALTER DATABASE " + db + " RESET lc_monetary");
            Migration again = new Migration(german, target, work).with("--include-db", db);
            assertThat(again.run()).isEqualTo(0);
            JsonNode resumed = new ObjectMapper().readTree(again.migrateState().resolve("summary.json").toFile())
                    .get("databases").get(0);
            assertThat(resumed.get("status").asText()).isEqualTo("done");
            assertThat(one(target, db, "SELECT count(*)::text FROM t")).isEqualTo("10");
        } finally {
            new ProcessBuilder("rm", "-rf", locales.toString()).start().waitFor();
        }
    }

    /**
     * A de_DE.UTF-8 locale of the test's own, for a server's LOCPATH: no root needed, nothing changed on the machine.
     * The server runs as another OS user, so the folder is readable by all; the caller deletes it.
     */
    private static Path germanLocale() throws Exception {
        Path locales = Files.createTempDirectory("pgm-locales",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Process localedef = new ProcessBuilder("localedef", "-i", "de_DE", "-f", "UTF-8",
                locales.resolve("de_DE.UTF-8").toString()).redirectErrorStream(true).start();
        String said = new String(localedef.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(localedef.waitFor()).as("localedef de_DE.UTF-8 (Debian: apt-get install locales): %s", said)
                .isZero();
        new ProcessBuilder("chmod", "-R", "a+rX", locales.toString()).start().waitFor();
        return locales;
    }
}
