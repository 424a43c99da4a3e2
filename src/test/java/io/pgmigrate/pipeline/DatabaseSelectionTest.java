package io.pgmigrate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmigrate.MigrationException;
import io.pgmigrate.postgres.DatabaseInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatabaseSelectionTest {
    private static final List<DatabaseInfo> ALL = List.of(db("postgres"), db("shop"), db("shop_archive"),
            db("Ünïcode \"Q\" DB"), db("a.b*c"));

    private static DatabaseInfo db(String name) {
        return new DatabaseInfo(name, 1, "postgres", "UTF8", "C", "C", true);
    }

    private static List<String> names(DatabaseSelection s) {
        return s.select(ALL).stream().map(DatabaseInfo::name).toList();
    }

    @Test
    void everyUserDatabaseButTheMaintenanceOneByDefault() {
        assertThat(names(new DatabaseSelection(List.of(), List.of(), "postgres")))
                .containsExactly("shop", "shop_archive", "Ünïcode \"Q\" DB", "a.b*c");
    }

    @Test
    void theMaintenanceDatabaseOnlyWhenAnIncludePatternNamesIt() {
        assertThat(names(new DatabaseSelection(List.of("postgres", "shop"), List.of(), "postgres")))
                .containsExactly("postgres", "shop");
        assertThat(names(new DatabaseSelection(List.of("*"), List.of("shop*"), "postgres")))
                .containsExactly("postgres", "Ünïcode \"Q\" DB", "a.b*c");
    }

    @Test
    void wildcardsAreStarAndQuestionMarkOnlyTheRestIsLiteral() {
        assertThat(names(new DatabaseSelection(List.of("shop?archive"), List.of(), "postgres")))
                .containsExactly("shop_archive");
        assertThat(GlobPattern.of("a.b*").matches("a.b*c")).isTrue();
        assertThat(GlobPattern.of("a.b*").matches("aXb")).isFalse();
        assertThat(GlobPattern.of("Ünïcode \"?\" DB").matches("Ünïcode \"Q\" DB")).isTrue();
    }

    @Test
    void anIncludedNameThatDoesNotExistIsAnError() {
        assertThatThrownBy(() -> new DatabaseSelection(List.of("shopp"), List.of(), "postgres").select(ALL))
                .isInstanceOf(MigrationException.class).hasMessageContaining("shopp");
    }

    @Test
    void includePatternsThatLeaveNothingAreAnErrorNamingThemAndTheSourceDatabases() {
        assertThatThrownBy(() -> new DatabaseSelection(List.of("shpo*"), List.of(), "postgres").select(ALL))
                .isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("no source database matches --include-db 'shpo*'; the source has: "
                        + "a.b*c, postgres, shop, shop_archive, ");
        assertThatThrownBy(() -> new DatabaseSelection(List.of("shop*"), List.of("shop*"), "postgres").select(ALL))
                .hasMessageContaining("no source database matches --include-db 'shop*' after --exclude-db 'shop*'");
        // no pattern and no user database: nothing to do, and nothing wrong with the command line
        assertThat(new DatabaseSelection(List.of(), List.of(), "postgres").select(List.of(db("postgres")))).isEmpty();
    }

    /**
     * A server of a thousand databases: the error names the 20 nearest to the patterns, a typo's target first, and
     * counts the rest, in one line (it named every one).
     */
    @Test
    void theErrorNamesTheDatabasesOfAServerOfManyNearestToThePatterns() {
        List<DatabaseInfo> many = new java.util.ArrayList<>(java.util.stream.IntStream.rangeClosed(1, 999)
                .mapToObj(i -> db(String.format("tenant_%04d", i))).toList());
        many.add(db("shop_archive"));
        assertThatThrownBy(() -> new DatabaseSelection(List.of("shpo*"), List.of(), "postgres").select(many))
                .hasMessageEndingWith("the source has 1000 databases, nearest to the patterns: shop_archive, "
                        + "tenant_0001, tenant_0002, tenant_0003, tenant_0004, tenant_0005, tenant_0006, tenant_0007, "
                        + "tenant_0008, tenant_0009, tenant_0010, tenant_0011, tenant_0012, tenant_0013, tenant_0014, "
                        + "tenant_0015, tenant_0016, tenant_0017, tenant_0018, tenant_0019 and 980 more (every one at "
                        + "--log-level debug); correct the patterns (quoted, so the shell does not expand them)");
        assertThatThrownBy(() -> new DatabaseSelection(List.of("tenant_2*"), List.of(), "postgres").select(many))
                .hasMessageContaining("nearest to the patterns: tenant_0001, tenant_0002");
    }

    @Test
    void anEmptyPatternIsAnError() {
        assertThatThrownBy(() -> new DatabaseSelection(List.of(""), List.of(), "postgres"))
                .isInstanceOf(MigrationException.class).hasMessageContaining("empty");
    }
}
