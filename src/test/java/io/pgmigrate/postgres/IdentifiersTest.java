package io.pgmigrate.postgres;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdentifiersTest {

    @Test
    void quoteAlwaysQuotesAndDoublesDoubleQuotes() {
        assertThat(Identifiers.quote("postgres")).isEqualTo("\"postgres\"");
        assertThat(Identifiers.quote("Admin \"X\"")).isEqualTo("\"Admin \"\"X\"\"\"");
        assertThat(Identifiers.quote("a\"\"b")).isEqualTo("\"a\"\"\"\"b\"");
        assertThat(Identifiers.quote("Mixed Rôle")).isEqualTo("\"Mixed Rôle\"");
    }

    @Test
    void quoteRefusesEmptyNames() {
        assertThatThrownBy(() -> Identifiers.quote("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unquotedNamesFoldAsciiToLowerCase() {
        Identifiers.Leading id = Identifiers.parseLeading("PostGres2 WITH LOGIN");
        assertThat(id).isEqualTo(new Identifiers.Leading("postgres2", false, 9));
        assertThat(Identifiers.parseLeading("_a$1b;").name()).isEqualTo("_a$1b");
        // only ASCII folds (as in a UTF8 database)
        assertThat(Identifiers.parseLeading("RÔLE").name()).isEqualTo("rÔle");
    }

    @Test
    void quotedNamesAreTakenAsWritten() {
        assertThat(Identifiers.parseLeading("\"My Role\" WITH")).isEqualTo(new Identifiers.Leading("My Role", true, 9));
        assertThat(Identifiers.parseLeading("\"a\"\"b\"").name()).isEqualTo("a\"b");
        assertThat(Identifiers.parseLeading("\"Admin \"\"X\"\"\" SET x").name()).isEqualTo("Admin \"X\"");
        assertThat(Identifiers.parseLeading("\"\"\"\"").name()).isEqualTo("\"");
        assertThat(Identifiers.parseLeading("\"POSTGRES\"").name()).isEqualTo("POSTGRES");
    }

    @Test
    void quoteAndParseLeadingRoundTrip() {
        for (String name : new String[]{"postgres", "Admin \"X\"", "\"", "a b;c", "Mixed \"Case\" Rôle", "x'y"}) {
            String quoted = Identifiers.quote(name);
            assertThat(Identifiers.parseLeading(quoted + " rest"))
                    .isEqualTo(new Identifiers.Leading(name, true, quoted.length()));
        }
    }

    @Test
    void refusesTextThatDoesNotStartWithAnIdentifier() {
        assertThatThrownBy(() -> Identifiers.parseLeading("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Identifiers.parseLeading(" postgres")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U+0020");
        assertThatThrownBy(() -> Identifiers.parseLeading("1abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Identifiers.parseLeading("\"open secret")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> Identifiers.parseLeading("\"\" x")).isInstanceOf(IllegalArgumentException.class);
    }
}
