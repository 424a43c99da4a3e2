package io.pgmigrate.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmigrate.postgres.Identifiers;
import org.junit.jupiter.api.Test;

class DemoDatasetTest {

    @Test
    void namesItsDatabasesAndTheirQuotedFormsAreSafe() {
        assertThat(DemoDataset.databases())
                .containsExactly("shop", "analytics", "Ünïcode \"Quoted\" DB", "tiny_a", "tiny_b");
        assertThat(Identifiers.quote(DemoDataset.UNICODE_DB)).isEqualTo("\"Ünïcode \"\"Quoted\"\" DB\"");
    }

    @Test
    void everyScriptIsOnTheClasspath() {
        for (String script : new String[] {"roles.sql", "shop.sql", "analytics.sql", "analytics-9.6.sql",
                "unicode.sql", "tiny_a.sql", "tiny_b.sql"}) {
            assertThat(DemoDataset.class.getResource("/demo/" + script)).as(script).isNotNull();
        }
    }
}
