package io.pgmigrate.postgres;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketOption;
import javax.net.SocketFactory;
import jdk.net.ExtendedSocketOptions;

/**
 * The sockets of the tool's JDBC connections (pgjdbc's {@code socketFactory}): TCP keepalive that notices a peer gone
 * silent within about two minutes. The system's default (two hours of silence on Linux) would leave a run waiting
 * that long on a server or network that vanished without closing its connections (a failed-over address, a dropped
 * VPN), where the tool can fail the database and be resumed instead. A live server answers the probes from its
 * kernel, so a statement that runs for hours is never cut short. The client tools get the same through libpq's
 * keepalive keywords ({@link io.pgmigrate.process.ConnInfo}).
 */
public final class KeepAliveSocketFactory extends SocketFactory {
    /** Seconds of silence before the first probe, between probes, and the probes unanswered before giving up. */
    public static final int IDLE_SECONDS = 60;
    public static final int INTERVAL_SECONDS = 10;
    public static final int PROBES = 6;

    /** pgjdbc creates its socket unconnected and connects it itself. */
    @Override
    public Socket createSocket() throws IOException {
        Socket socket = new Socket();
        socket.setKeepAlive(true);
        // Linux and macOS have all three; elsewhere the system's defaults stay
        set(socket, ExtendedSocketOptions.TCP_KEEPIDLE, IDLE_SECONDS);
        set(socket, ExtendedSocketOptions.TCP_KEEPINTERVAL, INTERVAL_SECONDS);
        set(socket, ExtendedSocketOptions.TCP_KEEPCOUNT, PROBES);
        return socket;
    }

    private static void set(Socket socket, SocketOption<Integer> option, int value) throws IOException {
        if (socket.supportedOptions().contains(option)) {
            socket.setOption(option, value);
        }
    }

    // SocketFactory's other ways in: pgjdbc does not use them

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
        Socket socket = createSocket();
        try {
            if (local != null) {
                socket.bind(local);
            }
            socket.connect(remote);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }
}
