package io.pgmigrate.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LargeObjectStatementsTest {
    @Test
    void ownerAndCommentAreQuoted() {
        assertThat(LargeObjectStatements.ownerAndComment(42, "Ann \"B\"", "it's")).containsExactly(
                "ALTER LARGE OBJECT 42 OWNER TO \"Ann \"\"B\"\"\"", "COMMENT ON LARGE OBJECT 42 IS 'it''s'");
        assertThat(LargeObjectStatements.ownerAndComment(42, "ann", null))
                .containsExactly("ALTER LARGE OBJECT 42 OWNER TO \"ann\"");
    }

    @Test
    void aGrantByAnotherRoleIsMadeAsThatRoleAndPublicIsNotQuoted() {
        assertThat(LargeObjectStatements.revokeDefaults(7, "ann"))
                .isEqualTo("REVOKE ALL ON LARGE OBJECT 7 FROM \"ann\"");
        assertThat(LargeObjectStatements.grant(7, "ann", "ann", "bob", "UPDATE", true))
                .containsExactly("GRANT UPDATE ON LARGE OBJECT 7 TO \"bob\" WITH GRANT OPTION");
        assertThat(LargeObjectStatements.grant(7, "ann", "bob", null, "SELECT", false))
                .containsExactly("SET ROLE \"bob\"", "GRANT SELECT ON LARGE OBJECT 7 TO PUBLIC", "RESET ROLE");
    }

    @Test
    void onlyLargeObjectPrivilegesAreGranted() {
        assertThatThrownBy(() -> LargeObjectStatements.grant(7, "ann", "ann", "bob", "SELECT; DROP", false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
