package io.pgmigrate.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DescriptionsTest {
    @Test
    void triggerSyntaxOfOldServersIsTheSameTrigger() {
        assertThat(Descriptions.compare(
                Map.of(Descriptions.key("trigger", "t"), "CREATE TRIGGER t AFTER INSERT ON s.x FOR EACH ROW EXECUTE PROCEDURE f()"),
                Map.of(Descriptions.key("trigger", "t"), "CREATE TRIGGER t AFTER INSERT ON s.x FOR EACH ROW EXECUTE FUNCTION f()")))
                .isEmpty();
    }

    @Test
    void viewsCompareWithoutColumnQualifiersButStillSeeRealChanges() {
        String old = " SELECT things.id,\n    things.email\n   FROM zoo.things\n  WHERE (things.mood = 'a.b'::zoo.mood);";
        String now = " SELECT id,\n    email\n   FROM zoo.things\n  WHERE (mood = 'a.b'::zoo.mood);";
        assertThat(Descriptions.compare(Map.of(Descriptions.key("view", "v"), old),
                Map.of(Descriptions.key("view", "v"), now))).isEmpty();
        assertThat(Descriptions.compare(Map.of(Descriptions.key("view", "v"), old),
                Map.of(Descriptions.key("view", "v"), now.replace("'a.b'", "'a.c'")))).hasSize(1);
        assertThat(Descriptions.normalize("view", "SELECT \"My Tab\".\"Col\" FROM \"My Tab\"", false))
                .isEqualTo("SELECT \"Col\" FROM \"My Tab\"");
    }

    @Test
    void theMaintainPrivilegeOf17IsLeftOutOnlyWhenAskedTo() {
        String acl = "acl={own=arwdDxtm/own,r=r/own}";
        assertThat(Descriptions.normalize("relation", acl, true)).isEqualTo("acl={own=arwdDxt/own,r=r/own}");
        assertThat(Descriptions.normalize("relation", acl, false)).isEqualTo(acl);
    }

    @Test
    void aMissingObjectIsADifferenceOnEitherSide() {
        var diffs = Descriptions.compare(Map.of(Descriptions.key("index", "a"), "x"),
                Map.of(Descriptions.key("index", "b"), "y"));
        assertThat(diffs).extracting(Difference::name).containsExactly("a", "b");
        assertThat(diffs.get(0).toString()).contains("missing on the target");
        assertThat(diffs.get(1).toString()).contains("only on the target");
    }
}
