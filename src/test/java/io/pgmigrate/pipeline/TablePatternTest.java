package io.pgmigrate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmigrate.MigrationException;
import org.junit.jupiter.api.Test;

class TablePatternTest {
    @Test
    void theReferenceExamples() {
        TablePattern events = TablePattern.parse("analytics.events");
        assertThat(events.database()).isEqualTo("analytics");
        assertThat(events.matches("public", "events")).isTrue();
        assertThat(events.matches("other", "events")).isTrue();
        assertThat(events.matches("public", "events2")).isFalse();

        TablePattern facts = TablePattern.parse("warehouse.fact_*");
        assertThat(facts.matches("public", "fact_sales")).isTrue();
        assertThat(facts.matches("public", "fact_")).isTrue();
        assertThat(facts.matches("public", "dim_date")).isFalse();

        TablePattern qualified = TablePattern.parse("mydb.public.events_2024_*");
        assertThat(qualified.matches("public", "events_2024_01")).isTrue();
        assertThat(qualified.matches("archive", "events_2024_01")).isFalse();
    }

    @Test
    void questionMarkIsOneCharacterAndRegexCharactersAreLiteral() {
        TablePattern p = TablePattern.parse("db.t_?");
        assertThat(p.matches("s", "t_1")).isTrue();
        assertThat(p.matches("s", "t_12")).isFalse();
        assertThat(TablePattern.parse("db.a+b").matches("s", "a+b")).isTrue();
        assertThat(TablePattern.parse("db.a+b").matches("s", "aab")).isFalse();
    }

    @Test
    void unquotedNamesFoldToLowerCaseQuotedOnesDoNot() {
        assertThat(TablePattern.parse("db.Events").matches("public", "events")).isTrue();
        assertThat(TablePattern.parse("db.Events").matches("public", "Events")).isFalse();
        assertThat(TablePattern.parse("db.\"Events\"").matches("public", "Events")).isTrue();
        assertThat(TablePattern.parse("db.\"Events\"").matches("public", "events")).isFalse();
        assertThat(TablePattern.parse("\"Shop DB\".x").database()).isEqualTo("Shop DB");
    }

    @Test
    void quotedPartsHoldDotsQuotesAndLiteralWildcards() {
        TablePattern p = TablePattern.parse("\"my.db\".\"Sch \"\"1\"\".x\".\"Tab.le *\"");
        assertThat(p.database()).isEqualTo("my.db");
        assertThat(p.matches("Sch \"1\".x", "Tab.le *")).isTrue();
        assertThat(p.matches("Sch \"1\".x", "Tab.le X")).isFalse();
        // quoted and unquoted pieces in one part
        assertThat(TablePattern.parse("db.\"Fact\"_*").matches("s", "Fact_2024")).isTrue();
        assertThat(TablePattern.parse("db.ünï*").matches("s", "ünïcode")).isTrue();
    }

    @Test
    void malformedPatternsAreUsageErrors() {
        for (String bad : new String[] {"events", "a.b.c.d", "db*.t", "db.\"open", "db..t", ".t"}) {
            assertThatThrownBy(() -> TablePattern.parse(bad)).as(bad).isInstanceOf(MigrationException.class)
                    .hasMessageContaining("--delay-table-data");
        }
    }

    @Test
    void exactPgDumpPatternQuotesEveryPart() {
        assertThat(TablePattern.exactPgDumpPattern("public", "fact_*")).isEqualTo("\"public\".\"fact_*\"");
        assertThat(TablePattern.exactPgDumpPattern("S \"q\"", "T.x")).isEqualTo("\"S \"\"q\"\"\".\"T.x\"");
    }

    /**
     * pg_dump's pattern means the same names: literal text double-quoted (pg_dump would fold unquoted capitals and
     * read {@code + [ ] ( ) |} as a regular expression's), the wildcards unquoted, every schema when none is given.
     */
    @Test
    void pgDumpPatternQuotesTheLiteralTextAndLeavesTheWildcards() {
        assertThat(TablePattern.parse("db.events").pgDumpPattern()).isEqualTo("*.\"events\"");
        assertThat(TablePattern.parse("db.Tenant_*.*").pgDumpPattern()).isEqualTo("\"tenant_\"*.*");
        assertThat(TablePattern.parse("db.public.a+b?[0-9]*").pgDumpPattern())
                .isEqualTo("\"public\".\"a+b\"?\"[0-9]\"*");
        assertThat(TablePattern.parse("db.\"Odd Schema\".\"we\"\"ird.n\"*").pgDumpPattern())
                .isEqualTo("\"Odd Schema\".\"we\"\"ird.n\"*");
        assertThat(TablePattern.parse("db.\"Fact\"_*x").pgDumpPattern()).isEqualTo("*.\"Fact_\"*\"x\"");
        assertThat(TablePattern.parse("db.ünï*").pgDumpPattern()).isEqualTo("*.\"ünï\"*");
        assertThat(TablePattern.parse("db.\"Events*\"").pgDumpPattern()).isEqualTo("*.\"Events*\"");
    }
}
