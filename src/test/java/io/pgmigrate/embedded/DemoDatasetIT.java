package io.pgmigrate.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.testbed.TestServers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DemoDatasetIT {

    @ParameterizedTest
    @ValueSource(strings = {TestServers.SOURCE_96, TestServers.SOURCE_12})
    void loadsIntoAFreshSource(String version) throws Exception {
        try (EmbeddedServer server = TestServers.fresh(version)) {
            long started = System.nanoTime();
            DemoDataset.load(server);
            System.out.printf("demo dataset loaded into %s in %d ms%n", version, (System.nanoTime() - started) / 1_000_000);

            try (Connection postgres = server.connect("postgres")) {
                assertThat(list(postgres, "SELECT datname FROM pg_database ORDER BY datname"))
                        .containsAll(DemoDataset.databases());
                assertThat(list(postgres, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname IN"
                        + " ('shop', 'analytics', 'tiny_a', 'tiny_b') ORDER BY datname"))
                        .containsExactly("app_owner", "app_owner", "app_owner", "postgres");
                assertThat(list(postgres, "SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid"
                        + " WHERE m.member = 'app_reader'::regrole")).containsExactly("readers");
                assertThat(list(postgres, "SELECT rolname || ':' || rolcanlogin FROM pg_roles WHERE rolname IN"
                        + " ('app_owner', 'app_reader', 'readers', 'reporting') ORDER BY rolname"))
                        .containsExactly("app_owner:true", "app_reader:true", "readers:false", "reporting:false");
            }

            try (Connection shop = server.connect(DemoDataset.SHOP)) {
                assertThat(count(shop, "customers")).isEqualTo(1000);
                assertThat(count(shop, "orders")).isEqualTo(5000);
                assertThat(count(shop, "order_items")).isEqualTo(15000);
                assertThat(count(shop, "order_audit")).isEqualTo(10000);
                assertThat(count(shop, "events")).isEqualTo(DemoDataset.EVENTS_ROWS);
                assertThat(one(shop, "SELECT last_value FROM invoice_number_seq")).isEqualTo("104999");
                assertThat(one(shop, "SELECT count(*) FROM customers WHERE name LIKE '%(VIP)' AND updated_at > created_at"))
                        .isEqualTo("10");
                assertThat(one(shop, "SELECT count(*) FROM pg_indexes WHERE tablename = 'events'")).isEqualTo("3");
                assertThat(one(shop, "SELECT tableowner FROM pg_tables WHERE tablename = 'events'")).isEqualTo("app_owner");
            }
            try (Connection asReader = server.connect(DemoDataset.SHOP, DemoDataset.APP_READER,
                    DemoDataset.APP_READER_PASSWORD)) {
                assertThat(count(asReader, "orders")).isEqualTo(5000); // through the readers group
            }

            try (Connection analytics = server.connect(DemoDataset.ANALYTICS, DemoDataset.APP_OWNER,
                    DemoDataset.APP_OWNER_PASSWORD)) {
                assertThat(count(analytics, "measurements")).isEqualTo(8736);
                assertThat(count(analytics, "measurements_2024_01")).isEqualTo(2976);
                assertThat(count(analytics, "measurements_2024_02")).isEqualTo(2784);
                assertThat(count(analytics, "measurements_2024_03")).isEqualTo(2976);
                assertThat(count(analytics, "sensor_summary")).isEqualTo(20);
                assertThat(one(analytics, "SELECT sum(samples) FROM daily_averages")).isEqualTo("8736");
                assertThat(one(analytics, "SELECT relkind FROM pg_class WHERE relname = 'measurements'"))
                        .isEqualTo(server.serverVersionNum() >= 100000 ? "p" : "r");
                assertThat(one(analytics, "SELECT count(*) FROM pg_inherits WHERE inhparent = 'measurements'::regclass"))
                        .isEqualTo("3");
            }

            try (Connection unicode = server.connect(DemoDataset.UNICODE_DB)) {
                assertThat(one(unicode, "SELECT current_database()")).isEqualTo(DemoDataset.UNICODE_DB);
                String table = Identifiers.quote(DemoDataset.UNICODE_SCHEMA) + "."
                        + Identifiers.quote(DemoDataset.UNICODE_TABLE);
                assertThat(count(unicode, table)).isEqualTo(5);
                assertThat(one(unicode, "SELECT \"Naïve Value\" FROM " + table + " WHERE \"Id\" = 4"))
                        .isEqualTo("it's a \\backslash");
                assertThat(one(unicode, "SELECT \"Naïve Value\" FROM " + table + " WHERE \"Id\" = 3"))
                        .isEqualTo("elephant 🐘");
            }

            try (Connection tinyA = server.connect(DemoDataset.TINY_A)) {
                assertThat(count(tinyA, "notes")).isEqualTo(10);
            }
            try (Connection tinyB = server.connect(DemoDataset.TINY_B)) {
                assertThat(count(tinyB, "settings")).isEqualTo(3);
                assertThat(count(tinyB, "empty_table")).isZero();
            }
        }
    }

    private static long count(Connection connection, String table) throws SQLException {
        return Long.parseLong(one(connection, "SELECT count(*) FROM " + table));
    }

    private static String one(Connection connection, String sql) throws SQLException {
        List<String> rows = list(connection, sql);
        assertThat(rows).as(sql).hasSize(1);
        return rows.get(0);
    }

    private static List<String> list(Connection connection, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
