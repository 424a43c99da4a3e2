package io.pgmigrate.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP proxy in front of a server, on 127.0.0.1, that breaks one connection as a failing network would: the first
 * connection whose client sends {@code text} for the {@code nth} time is closed, both ways, before that message
 * reaches the server. Every other connection, before and after, passes untouched. The server must not use SSL (the
 * test servers do not), so the statements pgjdbc sends are readable.
 */
public final class CuttingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final String host;
    private final int port;
    private final String text;
    private final int nth;
    private final AtomicBoolean armed = new AtomicBoolean(true);
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    public CuttingProxy(String host, int port, String text, int nth) {
        this.host = host;
        this.port = port;
        this.text = text;
        this.nth = nth;
        try {
            listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        daemon("proxy-accept", this::accept);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Whether the proxy has broken its connection. */
    public boolean cut() {
        return !armed.get();
    }

    private void accept() {
        try {
            while (true) {
                Socket client = listener.accept();
                Socket server = new Socket(host, port);
                sockets.add(client);
                sockets.add(server);
                daemon("proxy-up", () -> pump(client, server, true));
                daemon("proxy-down", () -> pump(server, client, false));
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void pump(Socket from, Socket to, boolean watch) {
        byte[] buffer = new byte[65536];
        String tail = "";
        int seen = 0;
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (watch) {
                    // ISO-8859-1 maps each byte to one char: a text split between two reads is still found
                    String window = tail + new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
                    for (int at = window.indexOf(text); at >= 0; at = window.indexOf(text, at + 1)) {
                        if (at + text.length() > tail.length()) {
                            seen++;
                        }
                    }
                    tail = window.substring(Math.max(0, window.length() - text.length() + 1));
                    if (seen >= nth && armed.compareAndSet(true, false)) {
                        from.close();
                        to.close();
                        return;
                    }
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // either side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        sockets.forEach(CuttingProxy::closeQuietly);
    }
}
