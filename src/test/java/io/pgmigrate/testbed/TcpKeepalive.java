package io.pgmigrate.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The kernel's view of this machine's TCP connections (Linux, {@code /proc/net/tcp} and {@code tcp6}): whether a
 * connection's keepalive timer runs, and when it fires. Both ends of a test's connection are on this machine, so a
 * connection is found by its two ports.
 */
public final class TcpKeepalive {
    /** {@code /proc/net/tcp} gives times in clock ticks (USER_HZ), 100 per second on Linux. */
    private static final double TICKS_PER_SECOND = 100;
    private static final String KEEPALIVE_TIMER = "02";

    private TcpKeepalive() {
    }

    /**
     * Seconds until the first keepalive probe of the connection from {@code localPort} to {@code remotePort}.
     *
     * @throws AssertionError when there is no such connection or its keepalive timer is not running
     */
    public static double secondsToProbe(int localPort, int remotePort) throws IOException {
        String local = String.format(Locale.ROOT, ":%04X", localPort);
        String remote = String.format(Locale.ROOT, ":%04X", remotePort);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when ...
                String[] f = line.trim().split("\\s+");
                if (f.length > 5 && f[1].endsWith(local) && f[2].endsWith(remote)) {
                    String[] timer = f[5].split(":");
                    if (!timer[0].equals(KEEPALIVE_TIMER)) {
                        throw new AssertionError("no keepalive timer on the connection from port " + localPort
                                + " to " + remotePort + ": " + line.trim());
                    }
                    return Long.parseLong(timer[1], 16) / TICKS_PER_SECOND;
                }
            }
        }
        throw new AssertionError("no TCP connection from port " + localPort + " to " + remotePort);
    }
}
