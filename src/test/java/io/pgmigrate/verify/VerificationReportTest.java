package io.pgmigrate.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class VerificationReportTest {
    /** A superuser compares everything: its JSON report has no "notCompared" key, as before managed targets. */
    @Test
    void aReportWithEverythingComparedHasNoNotComparedKey() {
        assertThat(new VerificationReport(List.of(), List.of()).toJson().has("notCompared")).isFalse();
        assertThat(new VerificationReport(List.of(), List.of(), List.of("the roles' passwords")).toJson()
                .get("notCompared").toString()).isEqualTo("[\"the roles' passwords\"]");
    }
}
