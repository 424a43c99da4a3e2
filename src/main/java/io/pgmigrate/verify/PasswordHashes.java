package io.pgmigrate.verify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.util.PasswordUtil;

/**
 * A role's stored password (pg_authid.rolpassword) as the server tells its kinds apart: an md5 hash, a
 * SCRAM-SHA-256 verifier, or plain text (only a server before 10 keeps one). Before 10 a password could be stored
 * in plain text; a 10+ target hashes it on arrival, so its stored value is never the source's: whether it is a hash
 * of that text is what tells the same password from another.
 */
final class PasswordHashes {
    private static final Pattern SCRAM = Pattern.compile(
            "SCRAM-SHA-256\\$(\\d+):([A-Za-z0-9+/]+=*)\\$[A-Za-z0-9+/]+=*:[A-Za-z0-9+/]+=*");
    private static final int MD5_LENGTH = 35;

    private PasswordHashes() {
    }

    /** Neither an md5 hash ("md5" and 32 more characters, as 9.6 tells one) nor a SCRAM-SHA-256 verifier. */
    static boolean isPlainText(String stored) {
        boolean md5 = stored.startsWith("md5") && stored.length() == MD5_LENGTH;
        return !md5 && !SCRAM.matcher(stored).matches();
    }

    /**
     * Whether {@code stored} is the hash the server makes of {@code plainText} for the role {@code rolname}: md5 is
     * "md5" and md5(password || role name); SCRAM-SHA-256 is derived again with the verifier's own salt and iteration
     * count (after SASLprep, as the server does) and compared whole.
     */
    static boolean hashes(String stored, String plainText, String rolname) {
        String expected;
        Matcher scram = SCRAM.matcher(stored);
        if (scram.matches()) {
            try {
                expected = PasswordUtil.encodeScramSha256(plainText.toCharArray(), Integer.parseInt(scram.group(1)),
                        Base64.getDecoder().decode(scram.group(2)));
            } catch (IllegalArgumentException unusable) { // an iteration count or salt the server would refuse too
                return false;
            }
        } else if (!isPlainText(stored)) {
            expected = PasswordUtil.encodeMd5(rolname, plainText.toCharArray());
        } else {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                stored.getBytes(StandardCharsets.UTF_8));
    }
}
