package io.pgmigrate.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DatabasePropertiesTest {

    @Test
    void listSettingsGiveEachStoredItemAsALiteralAsPgDumpDoes() {
        assertThat(DatabaseProperties.listValue("\"$user\", public")).isEqualTo("'$user', 'public'");
        assertThat(DatabaseProperties.listValue("\"\"")).as("search_path = ''").isEqualTo("''");
        assertThat(DatabaseProperties.listValue("\"Odd \"\"s\"\"\",x")).isEqualTo("'Odd \"s\"', 'x'");
        String longName = "a_schema_name_that_is_longer_than_sixty_three_bytes_so_never_cut_short";
        assertThat(DatabaseProperties.listValue(longName)).as("not cut to 63 bytes").isEqualTo("'" + longName + "'");
        assertThat(DatabaseProperties.listValue("it's")).isEqualTo("'it''s'");
    }

    @Test
    void aListThatDoesNotSplitIsGivenWhole() {
        assertThat(DatabaseProperties.listValue("\"open")).isEqualTo("'\"open'");
        assertThat(DatabaseProperties.listValue("a,")).isEqualTo("'a,'");
        assertThat(DatabaseProperties.listValue("a b")).isEqualTo("'a b'");
        assertThat(DatabaseProperties.listValue("")).isEqualTo("''");
    }

    @Test
    void statementsQuoteTheDatabaseTheRoleAndEachSettingAndMarkATemplateLast() {
        DatabaseProperties p = new DatabaseProperties("Shop \"A\"", -1, true, null, false, List.of(), List.of(
                new DatabaseProperties.Setting(null, "search_path", "\"\""),
                new DatabaseProperties.Setting("Rôle", "work_mem", "16MB")));
        assertThat(p.statements("owner")).containsExactly(
                "ALTER DATABASE \"Shop \"\"A\"\"\" SET \"search_path\" TO ''",
                "ALTER ROLE \"Rôle\" IN DATABASE \"Shop \"\"A\"\"\" SET \"work_mem\" TO '16MB'",
                "ALTER DATABASE \"Shop \"\"A\"\"\" IS_TEMPLATE true");
    }

    @Test
    void aGrantMadeByAnotherRoleThanTheOwnerIsMadeAsThatRoleInTheSourcesOrder() {
        DatabaseProperties p = new DatabaseProperties("db", -1, false, null, true, List.of(
                new DatabaseProperties.Grant(null, "CONNECT", false, "Own er"),
                new DatabaseProperties.Grant("reader", "CONNECT", true, "Own er"),
                new DatabaseProperties.Grant("Third \"3\"", "CONNECT", false, "reader")), List.of());
        assertThat(p.statements("Own er")).containsExactly(
                "REVOKE ALL ON DATABASE \"db\" FROM PUBLIC",
                "REVOKE ALL ON DATABASE \"db\" FROM \"Own er\"",
                "GRANT CONNECT ON DATABASE \"db\" TO PUBLIC",
                "GRANT CONNECT ON DATABASE \"db\" TO \"reader\" WITH GRANT OPTION",
                "SET ROLE \"reader\"",
                "GRANT CONNECT ON DATABASE \"db\" TO \"Third \"\"3\"\"\"",
                "RESET ROLE");
    }
}
