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

    @Test
    void anEmptyPatternIsAnError() {
        assertThatThrownBy(() -> new DatabaseSelection(List.of(""), List.of(), "postgres"))
                .isInstanceOf(MigrationException.class).hasMessageContaining("empty");
    }
}
