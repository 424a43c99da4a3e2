package io.pgmigrate.verify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHashesTest {
    /** 'md5' || md5('secret' || 'alice'), as PostgreSQL stores it. */
    private static final String MD5 = "md54a0a68b43b6cd5cf266fa02f196e2371";
    private static final String SCRAM = org.postgresql.util.PasswordUtil.encodeScramSha256("secret".toCharArray());

    @Test
    void hashesAndPlainTextAreToldApartAsTheServerDoes() {
        assertThat(PasswordHashes.isPlainText(MD5)).isFalse();
        assertThat(PasswordHashes.isPlainText(SCRAM)).isFalse();
        assertThat(PasswordHashes.isPlainText("secret")).isTrue();
        assertThat(PasswordHashes.isPlainText("SCRAM-SHA-256$secret")).isTrue();
    }

    @Test
    void anMd5HashIsOfThePasswordAndTheRoleName() {
        assertThat(PasswordHashes.hashes(MD5, "secret", "alice")).isTrue();
        assertThat(PasswordHashes.hashes(MD5, "secret", "bob")).isFalse();
        assertThat(PasswordHashes.hashes(MD5, "Secret", "alice")).isFalse();
    }

    @Test
    void aScramVerifierIsDerivedAgainWithItsOwnSaltAndIterations() {
        assertThat(PasswordHashes.hashes(SCRAM, "secret", "anyone")).isTrue();
        assertThat(PasswordHashes.hashes(SCRAM, "secreT", "anyone")).isFalse();
    }

    @Test
    void plainTextIsNeverAHash() {
        assertThat(PasswordHashes.hashes("secret", "secret", "alice")).isFalse();
    }
}
