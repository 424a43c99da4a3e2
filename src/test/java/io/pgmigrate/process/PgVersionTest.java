package io.pgmigrate.process;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PgVersionTest {

    @Test
    void readsToolVersionOutput() {
        assertThat(PgVersion.fromVersionOutput("pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n"))
                .isEqualTo(PgVersion.of(15, 18));
        assertThat(PgVersion.fromVersionOutput("pg_dump (PostgreSQL) 9.6.24")).isEqualTo(PgVersion.of(9, 6));
        assertThat(PgVersion.fromVersionOutput("psql (PostgreSQL) 10.23")).isEqualTo(PgVersion.of(10, 23));
        assertThat(PgVersion.fromVersionOutput("pg_dump (PostgreSQL) 16beta1")).isEqualTo(PgVersion.of(16));
        assertThat(PgVersion.fromVersionOutput("pg_dump (PostgreSQL) 17devel")).isEqualTo(PgVersion.of(17));
        assertThat(PgVersion.fromVersionOutput("pg_restore (PostgreSQL) 18.0 (Ubuntu 18.0-1.pgdg24.04+1)"))
                .isEqualTo(PgVersion.of(18, 0));
        assertThat(PgVersion.fromVersionOutput("pg_dump 14.2")).isEqualTo(PgVersion.of(14, 2));
    }

    @Test
    void refusesOutputWithoutVersion() {
        assertThatThrownBy(() -> PgVersion.fromVersionOutput("command not found"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsServerVersionNum() {
        assertThat(PgVersion.fromServerVersionNum(90624)).isEqualTo(PgVersion.of(9, 6));
        assertThat(PgVersion.fromServerVersionNum(90624)).hasToString("9.6");
        assertThat(PgVersion.fromServerVersionNum(120022)).isEqualTo(PgVersion.of(12, 22));
        assertThat(PgVersion.fromServerVersionNum(120022).majorRelease()).hasToString("12");
        assertThat(PgVersion.fromServerVersionNum(180000)).hasToString("18");
        assertThat(PgVersion.fromServerVersionNum(150018).num()).isEqualTo(150018);
        assertThat(PgVersion.fromServerVersionNum(90624).num()).isEqualTo(90600);
    }

    @Test
    void ordersAcrossTheTwoNumberingSchemes() {
        assertThat(PgVersion.parse("9.5")).isLessThan(PgVersion.parse("9.6.24"));
        assertThat(PgVersion.parse("9.6")).isLessThan(PgVersion.of(10));
        assertThat(PgVersion.of(10)).isLessThan(PgVersion.of(15, 18));
        assertThat(PgVersion.of(15, 18)).isLessThan(PgVersion.of(16));
        assertThat(PgVersion.parse("9.6").isAtLeast(16)).isFalse();
        assertThat(PgVersion.of(16, 2).isAtLeast(16)).isTrue();
    }

    @Test
    void printsMajorReleasesTheWayPostgresNamesThem() {
        assertThat(PgVersion.parse("9.6")).hasToString("9.6");
        assertThat(PgVersion.of(15)).hasToString("15");
        assertThat(PgVersion.of(15, 18)).hasToString("15.18");
        assertThat(PgVersion.of(15, 18).majorRelease()).hasToString("15");
        assertThat(PgVersion.parse("9.6").majorRelease()).hasToString("9.6");
    }

    @Test
    void comparesMajorReleases() {
        assertThat(PgVersion.of(15, 18).sameMajor(PgVersion.of(15, 2))).isTrue();
        assertThat(PgVersion.parse("9.6.24").sameMajor(PgVersion.parse("9.6.1"))).isTrue();
        assertThat(PgVersion.parse("9.5").sameMajor(PgVersion.parse("9.6"))).isFalse();
        assertThat(PgVersion.of(15).sameMajor(PgVersion.of(16))).isFalse();
    }
}
