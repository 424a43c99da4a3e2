package io.pgmigrate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TablespacesTest {
    private static final List<String> GLOBALS = List.of(
            "CREATE ROLE app",
            "CREATE TABLESPACE \"Ts A\" OWNER app LOCATION '/data/it''s'",
            "CREATE TABLESPACE other OWNER app LOCATION '/data/other'",
            "ALTER TABLESPACE other SET (random_page_cost='1.1')",
            "GRANT CREATE ON TABLESPACE other TO app",
            "COMMENT ON TABLESPACE other IS 'x'");

    @Test
    void aLocationIsReplacedOnlyForTheNamedTablespace() {
        List<String> out = new Tablespaces(false, Map.of("Ts A", "/new/o'place")).apply(GLOBALS);
        assertThat(out).hasSize(GLOBALS.size());
        assertThat(out.get(1)).isEqualTo("CREATE TABLESPACE \"Ts A\" OWNER app LOCATION '/new/o''place'");
        assertThat(out.get(2)).isEqualTo(GLOBALS.get(2));
    }

    /** "ß" upper-cases to "SS": a name holding it must not shift where the location is cut. */
    @Test
    void aNameThatGrowsWhenUpperCasedKeepsTheStatementWhole() {
        String create = "CREATE TABLESPACE \"Straße\" OWNER \"weiß\" LOCATION '/data/straße'";
        assertThat(new Tablespaces(false, Map.of("Straße", "/new")).apply(List.of(create)))
                .containsExactly("CREATE TABLESPACE \"Straße\" OWNER \"weiß\" LOCATION '/new'");
    }

    @Test
    void skippingLeavesOutEveryTablespaceStatementAndNothingElse() {
        assertThat(new Tablespaces(true, Map.of()).apply(GLOBALS)).containsExactly("CREATE ROLE app");
    }
}
