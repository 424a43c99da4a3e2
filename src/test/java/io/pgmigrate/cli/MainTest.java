package io.pgmigrate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmigrate.config.TransferOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Usage errors, which stop the run while parsing or building its configuration: before any connection. */
class MainTest {
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> environment, String... args) {
        CommandLine cl = Main.commandLine(environment);
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void aBadValueFromTheEnvironmentNamesItsVariable() {
        assertThat(run(Map.of("PGMIGRATE_DUMP_JOBS", "abc"))).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("pg-migrate: Invalid value for option '--dump-jobs': 'abc' is not an int "
                + "(from PGMIGRATE_DUMP_JOBS) (see pg-migrate --help)" + System.lineSeparator());
    }

    @Test
    void aBadValueOnTheCommandLineDoesNotBlameTheEnvironment() {
        assertThat(run(Map.of("PGMIGRATE_DUMP_JOBS", "5"), "--dump-jobs", "abc")).isEqualTo(2);
        assertThat(err.toString()).contains("'abc' is not an int").doesNotContain("PGMIGRATE_");
        err.getBuffer().setLength(0);
        assertThat(run(Map.of("PGMIGRATE_DUMP_JOBS", "5"), "--dump-jobs=abc")).isEqualTo(2);
        assertThat(err.toString()).doesNotContain("PGMIGRATE_");
    }

    @Test
    void zeroParallelIsNamedAsTheOptionTheUserGave() {
        assertThat(run(Map.of(), "-p", "0")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("pg-migrate: -p/--max-parallel must be at least 1 (got 0)"
                + System.lineSeparator());
        err.getBuffer().setLength(0);
        assertThat(run(Map.of("PGMIGRATE_MAX_PARALLEL", "0"))).isEqualTo(2);
        assertThat(err.toString()).contains("-p/--max-parallel must be at least 1 (got 0) (from PGMIGRATE_MAX_PARALLEL)");
        err.getBuffer().setLength(0);
        assertThat(run(Map.of("PGMIGRATE_VERIFY_CONCURRENCY", "0"), "--dump-jobs", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--dump-jobs must be at least 1 (got 0)").doesNotContain("PGMIGRATE_");
    }

    /** A usage error never shows what was given to a password option, nor a piece of it. */
    @Test
    void aUsageErrorNeverEchoesAPassword() {
        String[][] lines = {
                {"--from-pass", "-p4ss"},
                {"--to-pass", "--dump-jobs=s3cret"},
                {"--from-pass=s3cret", "s3cret-too"},
                {"--to-pass", "s3cret", "--from-pass"},
                {"--from-passwd", "s3cret"}, // a misspelt password option
        };
        for (String[] args : lines) {
            err.getBuffer().setLength(0);
            assertThat(run(Map.of(), args)).as(String.join(" ", args)).isEqualTo(2);
            assertThat(err.toString()).as(String.join(" ", args)).startsWith("pg-migrate: ")
                    .doesNotContain("4ss").doesNotContain("s3cret");
        }
        err.getBuffer().setLength(0);
        run(Map.of(), "--from-pass", "-p4ss");
        assertThat(err.toString()).isEqualTo("pg-migrate: Expected parameter for option '--from-pass' but found '***' "
                + "(see pg-migrate --help)" + System.lineSeparator());
    }

    private static TransferOptions.Mode mode(Map<String, String> environment, String... args) {
        CommandLine cl = Main.commandLine(environment);
        cl.parseArgs(args);
        return ((MigrateCommand) cl.getCommand()).run.transfer().mode();
    }

    @Test
    void streamIsTheDefaultModeAndDumpIsChosenOnTheCommandLineOrInTheEnvironment() {
        assertThat(mode(Map.of())).isEqualTo(TransferOptions.Mode.STREAM);
        assertThat(mode(Map.of(), "--mode", "dump")).isEqualTo(TransferOptions.Mode.DUMP);
        assertThat(mode(Map.of("PGMIGRATE_MODE", "dump"))).isEqualTo(TransferOptions.Mode.DUMP);
        assertThat(mode(Map.of("PGMIGRATE_MODE", "dump"), "--mode=stream")).isEqualTo(TransferOptions.Mode.STREAM);
        assertThat(run(Map.of("PGMIGRATE_MODE", "files"))).isEqualTo(2);
        assertThat(err.toString()).contains("--mode must be dump or stream (got files)");
    }

    @Test
    void anEmptyDatabasePatternIsRefusedWhileParsing() {
        assertThat(run(Map.of(), "--include-db", "")).isEqualTo(2);
        assertThat(err.toString()).contains("--include-db").contains("empty").contains("see pg-migrate --help");
        err.getBuffer().setLength(0);
        assertThat(run(Map.of(), "--exclude-db=")).isEqualTo(2);
        assertThat(err.toString()).contains("--exclude-db").contains("empty");
    }

    /**
     * Values no run can use are one line and exit 2 while the configuration is built, before any connection: a port
     * pgjdbc would refuse with a multi-line warning (exit 4), a knob large enough to overflow the connection budget,
     * and a log level logback would read as debug.
     */
    @Test
    void outOfRangePortsHugeKnobsAndUnknownLogLevelsAreUsageErrors(@TempDir Path home) {
        String state = home.toString();
        String nl = System.lineSeparator();
        Map<String[], String> cases = new java.util.LinkedHashMap<>();
        cases.put(new String[] {"--from-port", "0"}, "--from-port must be from 1 to 65535 (got 0)");
        cases.put(new String[] {"--to-port", "70000"}, "--to-port must be from 1 to 65535 (got 70000)");
        cases.put(new String[] {"--dump-jobs", "2147483647"}, "--dump-jobs must be at most 10000 (got 2147483647)");
        cases.put(new String[] {"-p", "100000"}, "-p/--max-parallel must be at most 10000 (got 100000)");
        cases.put(new String[] {"--restore-parallel", "65536", "--restore-jobs", "65536"},
                "--restore-jobs must be at most 10000 (got 65536)");
        cases.put(new String[] {"--table-jobs", "20000"}, "--table-jobs must be at most 10000 (got 20000)");
        cases.put(new String[] {"--log-level", "verbose"},
                "--log-level must be error, warn, info, debug or trace (got 'verbose')");
        cases.put(new String[] {"verify", "--verify-concurrency", "99999"},
                "--verify-concurrency must be at most 10000 (got 99999)");
        cases.put(new String[] {"verify", "--to-port", "-1"}, "--to-port must be from 1 to 65535 (got -1)");
        SoftAssertions.assertSoftly(soft -> {
            for (var c : cases.entrySet()) {
                err.getBuffer().setLength(0);
                String[] args = c.getKey()[0].equals("verify") ? c.getKey()
                        : Stream.concat(Stream.of("--state-dir", state), Stream.of(c.getKey())).toArray(String[]::new);
                soft.assertThat(run(Map.of(), args)).as(String.join(" ", args)).isEqualTo(2);
                soft.assertThat(err.toString()).as(String.join(" ", args)).isEqualTo("pg-migrate: " + c.getValue() + nl);
            }
        });
        err.getBuffer().setLength(0);
        assertThat(run(Map.of("PGMIGRATE_LOG_LEVEL", "loud"), "--state-dir", state)).isEqualTo(2);
        assertThat(err.toString()).contains("--log-level must be").contains("(from PGMIGRATE_LOG_LEVEL)");
        assertThat(home).as("no state folder for a usage error").isEmptyDirectory();
    }
}
