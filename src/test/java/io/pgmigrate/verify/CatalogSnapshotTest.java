package io.pgmigrate.verify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CatalogSnapshotTest {
    @Test
    void floatConstantsAreComparedExactlyUnlessTheTwoServersPrintThemDifferently() {
        assertThat(CatalogSnapshot.floatDigits(90624, 170005)).isZero();
        assertThat(CatalogSnapshot.floatDigits(170005, 110022)).isZero();
        assertThat(CatalogSnapshot.floatDigits(90624, 110022)).isEqualTo(3);
        assertThat(CatalogSnapshot.floatDigits(120022, 180000)).isEqualTo(3);
    }
}
