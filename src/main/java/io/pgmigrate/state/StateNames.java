package io.pgmigrate.state;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns a database name into a file name. Plain names (letters, digits, '_' and '-') stay as they are, so the
 * markers read like the reference's ({@code shop.dumped}); every other byte of the UTF-8 name becomes {@code %XX},
 * so names holding '/', '.', quotes or spaces cannot escape the folder or collide with a marker suffix.
 */
public final class StateNames {
    private StateNames() {
    }

    public static String fileSafe(String name) {
        StringBuilder out = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    /** The name {@link #fileSafe} turned into {@code fileSafe}. */
    public static String original(String fileSafe) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < fileSafe.length(); i++) {
            char c = fileSafe.charAt(i);
            if (c == '%' && i + 2 < fileSafe.length()) {
                out.write(Integer.parseInt(fileSafe.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
