package io.pgmigrate.process;

import io.pgmigrate.config.Endpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnInfoTest {
    /** A server gone silent is given up on after 60 s and 6 unanswered probes 10 s apart, as by the JDBC sessions. */
    private static final String KEEPALIVES =
            " keepalives='1' keepalives_idle='60' keepalives_interval='10' keepalives_count='6'";

    @Test
    void quotesEveryValue() {
        assertThat(ConnInfo.of("127.0.0.1", 5432, "postgres", "app").value())
                .isEqualTo("host='127.0.0.1' port='5432' user='postgres' dbname='app' application_name='pg-migrate'"
                        + KEEPALIVES);
    }

    @Test
    void escapesQuotesAndBackslashes() {
        assertThat(ConnInfo.quote("a'b \"c\" =d é")).isEqualTo("'a\\'b \"c\" =d é'");
        assertThat(ConnInfo.quote("back\\slash")).isEqualTo("'back\\\\slash'");
        assertThat(ConnInfo.quote("\\'")).isEqualTo("'\\\\\\''");
        assertThat(ConnInfo.quote("")).isEqualTo("''");
        assertThat(ConnInfo.of("h", 1, "u", "x' dbname='other").value())
                .contains("dbname='x\\' dbname=\\'other'");
    }

    @Test
    void neverCarriesThePassword() {
        Endpoint endpoint = new Endpoint("source", "db.example", 6543, "admin", "s3cret", "postgres");
        ConnInfo conn = ConnInfo.of(endpoint).withDatabase("sales");
        assertThat(conn.value()).doesNotContain("s3cret").doesNotContain("password")
                .isEqualTo("host='db.example' port='6543' user='admin' dbname='sales' application_name='pg-migrate'"
                        + KEEPALIVES);
        assertThat(conn.dbnameArg()).isEqualTo("--dbname=" + conn.value());
        assertThat(conn).hasToString(conn.value());
        assertThatThrownBy(() -> conn.with("password", "x")).hasMessageContaining("PGPASSWORD");
    }

    @Test
    void takesFurtherKeywordsInOrder() {
        ConnInfo conn = ConnInfo.of("h", 5432, "u", "d").with("connect_timeout", "10").with("sslmode", "prefer")
                .with("application_name", "pg-migrate/restore");
        assertThat(conn.value()).isEqualTo("host='h' port='5432' user='u' dbname='d'"
                + " application_name='pg-migrate/restore'" + KEEPALIVES + " connect_timeout='10' sslmode='prefer'");
        assertThatThrownBy(() -> conn.with("dbname", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> conn.with("bad key", "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
