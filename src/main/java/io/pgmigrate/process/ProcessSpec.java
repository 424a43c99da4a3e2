package io.pgmigrate.process;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import io.pgmigrate.postgres.GlobalsScript;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What to run: an argv list (never a shell string) plus where its streams go.
 *
 * <p>The values of {@code env} are secrets (PGPASSWORD, PGOPTIONS ...) and so is {@code stdin}: neither is ever
 * logged. {@link #redacted()} and {@link #toString()} give the command line for logs with the environment's keys
 * only.
 *
 * @param tool       the tool's name, for messages ("pg_dump")
 * @param argv       the program (a path) and its arguments
 * @param env        variables added to the inherited environment; values are secret
 * @param workingDir the child's working directory, or null for ours
 * @param stderrLog  a file the child's stderr is appended to, or null
 * @param stdout     where stdout goes: captured into memory, written to a file, or discarded
 * @param stdin      text fed to the child's stdin (secret), or null for an empty stdin
 */
public record ProcessSpec(String tool, List<String> argv, Map<String, String> env, Path workingDir, Path stderrLog,
                          Stdout stdout, String stdin) {

    /** Where a child's stdout goes. */
    public sealed interface Stdout {
        /** Into memory, returned in the result: for output that must never touch disk (pg_dumpall --globals-only). */
        record Capture() implements Stdout { }

        /** Into a file, replaced if it exists. */
        record ToFile(Path file) implements Stdout {
            public ToFile {
                Objects.requireNonNull(file, "file");
            }
        }

        /** Nowhere. */
        record Discard() implements Stdout { }
    }

    private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_./:,+@%=-]+");
    private static final Pattern CONNINFO_PASSWORD =
            Pattern.compile("(password\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'|[^\\s']+)");
    private static final Pattern URI_PASSWORD = Pattern.compile("(postgres(?:ql)?://[^:/@\\s]*:)[^@\\s]*@");

    public ProcessSpec {
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(stdout, "stdout");
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty argv for " + tool);
        }
        env = Collections.unmodifiableMap(new TreeMap<>(env));
    }

    /** Run {@code argv}, stdout discarded, nothing else set. */
    public static ProcessSpec of(String tool, List<String> argv) {
        return new ProcessSpec(tool, argv, Map.of(), null, null, new Stdout.Discard(), null);
    }

    public ProcessSpec withEnv(String key, String value) {
        Map<String, String> more = new TreeMap<>(env);
        more.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, key));
        return new ProcessSpec(tool, argv, more, workingDir, stderrLog, stdout, stdin);
    }

    /** Server settings for the tool's sessions ({@code -c name=value ...}), added to any PGOPTIONS given before. */
    public ProcessSpec withServerOptions(String options) {
        String before = env.get("PGOPTIONS");
        return withEnv("PGOPTIONS", before == null ? options : before + " " + options);
    }

    public ProcessSpec withWorkingDir(Path dir) {
        return new ProcessSpec(tool, argv, env, dir, stderrLog, stdout, stdin);
    }

    public ProcessSpec withStderrLog(Path file) {
        return new ProcessSpec(tool, argv, env, workingDir, file, stdout, stdin);
    }

    public ProcessSpec capturingStdout() {
        return new ProcessSpec(tool, argv, env, workingDir, stderrLog, new Stdout.Capture(), stdin);
    }

    public ProcessSpec withStdoutTo(Path file) {
        return new ProcessSpec(tool, argv, env, workingDir, stderrLog, new Stdout.ToFile(file), stdin);
    }

    public ProcessSpec withStdin(String text) {
        return new ProcessSpec(tool, argv, env, workingDir, stderrLog, stdout, text);
    }

    public boolean capturesStdout() {
        return stdout instanceof Stdout.Capture;
    }

    /**
     * The command line for logs: argv quoted as a POSIX shell would need it, then the names (never the values) of the
     * added environment variables: {@code pg_dump '--dbname=host=... dbname='\''x'\''' -Fd [env: PGPASSWORD]}.
     * A password that slipped into an argument anyway (conninfo or URI) is masked.
     */
    public String redacted() {
        String line = argv.stream().map(ProcessSpec::maskPassword).map(ProcessSpec::shellQuote)
                .collect(Collectors.joining(" "));
        return env.isEmpty() ? line : line + " [env: " + String.join(", ", env.keySet()) + "]";
    }

    @Override
    public String toString() {
        return "ProcessSpec[" + redacted() + "]";
    }

    static String shellQuote(String arg) {
        if (PLAIN_WORD.matcher(arg).matches()) {
            return arg;
        }
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    /**
     * A line a client tool printed, with its secrets masked: pg_restore prints the statement that failed, which may be
     * a user mapping's {@code OPTIONS (password '...')}, a role's {@code PASSWORD '...'} or a subscription's
     * connection string.
     */
    static String maskSecrets(String line) {
        return maskPassword(GlobalsScript.redactPasswords(line));
    }

    private static String maskPassword(String arg) {
        String masked = CONNINFO_PASSWORD.matcher(arg).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "****"));
        return URI_PASSWORD.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "****@"));
    }
}
