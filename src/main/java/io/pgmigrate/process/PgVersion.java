package io.pgmigrate.process;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL release number, of a server or of a client tool.
 *
 * <p>Two numbering schemes are modelled by one pair of ints, chosen so that plain int comparisons of {@code major}
 * stay right for every release that matters (a {@code major() >= 16} test is false for 9.6):
 * <ul>
 *   <li>from 10 on, {@code major} is the major release and {@code minor} the minor release: 15.18 is (15, 18);</li>
 *   <li>before 10, the major release had two parts, kept in both fields: 9.6 is (9, 6). The third part (the minor
 *       release, 24 in 9.6.24) is not kept: nothing in pg-migrate needs it for those old servers.</li>
 * </ul>
 * Ordering is by (major, minor), so 9.5 &lt; 9.6 &lt; 10 &lt; 15.18 &lt; 16. {@link #toString()} gives "9.6", "15" for a
 * major release (minor 0) and "15.18" otherwise. {@link #majorRelease()} drops the minor release (15.18 becomes 15;
 * 9.6 stays 9.6), which is what version checks compare.
 */
public record PgVersion(int major, int minor) implements Comparable<PgVersion> {

    /** "(PostgreSQL) 15.18 (Debian ...)", "9.6.24", "16beta1", "17devel", "10.23". */
    private static final Pattern NUMBER = Pattern.compile("(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?");
    private static final Pattern AFTER_PRODUCT = Pattern.compile("\\)\\s*(\\d+(?:\\.\\d+){0,2})");

    public PgVersion {
        if (major < 1 || minor < 0) {
            throw new IllegalArgumentException("not a PostgreSQL version: " + major + "." + minor);
        }
    }

    /** A major release from 10 on: {@code of(15)}. */
    public static PgVersion of(int major) {
        return new PgVersion(major, 0);
    }

    public static PgVersion of(int major, int minor) {
        return new PgVersion(major, minor);
    }

    /**
     * From {@code server_version_num} (or libpq's PQserverVersion): 90624 is 9.6, 120022 is 12.22 (major release 12),
     * 180000 is 18.
     */
    public static PgVersion fromServerVersionNum(int num) {
        if (num >= 100_000) {
            return new PgVersion(num / 10_000, num % 10_000);
        }
        if (num >= 10_000) {
            return new PgVersion(num / 10_000, (num / 100) % 100);
        }
        throw new IllegalArgumentException("not a server_version_num: " + num);
    }

    /** A version as written by people and PostgreSQL: "9.6", "9.6.24", "15", "15.18", "16beta1". */
    public static PgVersion parse(String text) {
        Matcher m = NUMBER.matcher(text.strip());
        if (!m.lookingAt()) {
            throw new IllegalArgumentException("not a PostgreSQL version: '" + text + "'");
        }
        return fromParts(m);
    }

    /**
     * From the first line of a tool's {@code --version} output, e.g. "pg_dump (PostgreSQL) 15.18 (Debian
     * 15.18-0+deb12u1)" or "psql (PostgreSQL) 9.6.24".
     */
    public static PgVersion fromVersionOutput(String output) {
        String firstLine = output.strip().lines().findFirst().orElse("");
        Matcher product = AFTER_PRODUCT.matcher(firstLine);
        if (product.find()) {
            return parse(product.group(1));
        }
        Matcher any = NUMBER.matcher(firstLine);
        if (any.find()) {
            return fromParts(any);
        }
        throw new IllegalArgumentException("no version number in '" + firstLine + "'");
    }

    private static PgVersion fromParts(Matcher m) {
        int first = Integer.parseInt(m.group(1));
        int second = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        return new PgVersion(first, second);
    }

    /** The major release: 15.18 gives 15, 9.6 gives 9.6. */
    public PgVersion majorRelease() {
        return major >= 10 ? of(major) : this;
    }

    public boolean sameMajor(PgVersion other) {
        return majorRelease().equals(other.majorRelease());
    }

    /** True if this is release {@code major} (10 or newer) or later: {@code isAtLeast(16)}. */
    public boolean isAtLeast(int major) {
        return this.major >= major;
    }

    public boolean isAtLeast(PgVersion other) {
        return compareTo(other) >= 0;
    }

    /** The number {@code server_version_num} would have, without the minor release of 9.x: 90600, 150018. */
    public int num() {
        return major >= 10 ? major * 10_000 + minor : major * 10_000 + minor * 100;
    }

    @Override
    public int compareTo(PgVersion other) {
        int c = Integer.compare(major, other.major);
        return c != 0 ? c : Integer.compare(minor, other.minor);
    }

    @Override
    public String toString() {
        return major >= 10 && minor == 0 ? Integer.toString(major) : major + "." + minor;
    }
}
