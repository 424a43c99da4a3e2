package io.pgmigrate.testbed;

import io.pgmigrate.embedded.EmbeddedServer;
import io.pgmigrate.postgres.Identifiers;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A small, awkward source for one test: its own databases and roles (all named with the test's prefix, so tests
 * can share servers), with everything issue #2 names: several databases, one whose name holds a quote, a space,
 * capitals, a dot and a non-ASCII letter (and a schema and a table likewise), roles with passwords and grants,
 * foreign keys, a trigger, a sequence in use, a partitioned table (inheritance on 9.6).
 */
public final class Fixture {
    public final String prefix;
    public final String shop;
    public final String odd;
    public final String oddSchema = "Sch \"1\".x";
    public final String oddTable = "Tab.le \"X\" é";
    public final String owner;
    public final String reader;
    public final String oddRole;
    public static final String ROLE_PASSWORD = "r0le-pw";

    public Fixture(String prefix) {
        this.prefix = prefix;
        this.shop = prefix + "_shop";
        this.odd = prefix + " Ünï \"Q\".DB";
        this.owner = prefix + "_owner";
        this.reader = prefix + "_reader";
        this.oddRole = prefix + " Rôle \"R\".x";
    }

    /** The --include-db pattern that selects exactly this fixture's databases. */
    public String pattern() {
        return prefix + "*";
    }

    public List<String> databases() {
        return List.of(shop, odd);
    }

    public Fixture load(EmbeddedServer server) throws SQLException {
        boolean partitions = server.serverVersionNum() >= 100000;
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + q(owner) + " LOGIN PASSWORD '" + ROLE_PASSWORD + "'");
            st.execute("CREATE ROLE " + q(reader) + " LOGIN PASSWORD '" + ROLE_PASSWORD + "'");
            st.execute("CREATE ROLE " + q(oddRole) + " NOLOGIN");
            st.execute("GRANT " + q(oddRole) + " TO " + q(reader));
            st.execute("CREATE DATABASE " + q(shop) + " OWNER " + q(owner));
            st.execute("CREATE DATABASE " + q(odd) + " OWNER " + q(owner));
            // database-level properties, which pg_dump writes only with --create
            st.execute("ALTER DATABASE " + q(shop) + " SET work_mem = '16MB'");
            st.execute("ALTER DATABASE " + q(shop) + " SET search_path = \"$user\", public, \"Odd \"\"s\"\"\"");
            st.execute("ALTER ROLE " + q(reader) + " IN DATABASE " + q(shop) + " SET statement_timeout = '5min'");
            // list settings: an empty one, and an item longer than an identifier may be
            st.execute("ALTER ROLE " + q(reader) + " IN DATABASE " + q(odd) + " SET search_path = ''");
            st.execute("ALTER DATABASE " + q(odd) + " SET search_path = "
                    + "'a_schema_name_that_is_longer_than_sixty_three_bytes_so_never_cut_short', public");
            st.execute("ALTER DATABASE " + q(shop) + " CONNECTION LIMIT 50");
            st.execute("COMMENT ON DATABASE " + q(shop) + " IS 'the shop''s data'");
            st.execute("REVOKE CONNECT, TEMPORARY ON DATABASE " + q(shop) + " FROM PUBLIC");
            st.execute("GRANT CONNECT ON DATABASE " + q(shop) + " TO " + q(reader));
        }
        try (Connection c = server.connect(shop); Statement st = c.createStatement()) {
            st.execute("SET ROLE " + q(owner));
            st.execute("CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL UNIQUE)");
            st.execute("CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id int NOT NULL REFERENCES customers,"
                    + " amount numeric(10,2) NOT NULL, updated_at timestamptz)");
            st.execute("CREATE INDEX orders_customer ON orders (customer_id)");
            st.execute("CREATE TABLE audit (id serial PRIMARY KEY, order_id bigint, what text)");
            st.execute("CREATE FUNCTION audit_order() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + "INSERT INTO audit (order_id, what) VALUES (NEW.id, TG_OP); RETURN NEW; END $$");
            st.execute("CREATE TRIGGER orders_audit AFTER INSERT OR UPDATE ON orders "
                    + "FOR EACH ROW EXECUTE PROCEDURE audit_order()");
            st.execute("INSERT INTO customers (name) SELECT 'customer ' || g FROM generate_series(1, 200) g");
            st.execute("INSERT INTO orders (customer_id, amount) SELECT 1 + g % 200, g / 7.0 "
                    + "FROM generate_series(1, 5000) g");
            if (partitions) {
                st.execute("CREATE TABLE measurements (id int NOT NULL, at date NOT NULL, v double precision) "
                        + "PARTITION BY RANGE (at)");
                st.execute("CREATE TABLE measurements_2025 PARTITION OF measurements "
                        + "FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')");
                st.execute("CREATE TABLE measurements_2026 PARTITION OF measurements "
                        + "FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')");
            } else {
                st.execute("CREATE TABLE measurements (id int NOT NULL, at date NOT NULL, v double precision)");
                st.execute("CREATE TABLE measurements_2025 (CHECK (at < '2026-01-01')) INHERITS (measurements)");
                st.execute("CREATE TABLE measurements_2026 (CHECK (at >= '2026-01-01')) INHERITS (measurements)");
            }
            st.execute("INSERT INTO " + (partitions ? "measurements" : "measurements_2025")
                    + " SELECT g, date '2025-01-01' + g % 300, g * 0.5 FROM generate_series(1, 700) g");
            st.execute("INSERT INTO " + (partitions ? "measurements" : "measurements_2026")
                    + " SELECT g, date '2026-01-01' + g % 300, g * 0.5 FROM generate_series(1, 300) g");
            st.execute("GRANT SELECT ON orders, customers TO " + q(reader));
            st.execute("GRANT USAGE ON SCHEMA public TO " + q(oddRole));
        }
        try (Connection c = server.connect(odd); Statement st = c.createStatement()) {
            st.execute("SET ROLE " + q(owner));
            st.execute("CREATE SCHEMA " + q(oddSchema));
            st.execute("CREATE TABLE " + q(oddSchema) + "." + q(oddTable)
                    + " (\"Id\" int PRIMARY KEY, \"Wert \"\"v\"\"\" text)");
            st.execute("INSERT INTO " + q(oddSchema) + "." + q(oddTable)
                    + " VALUES (1, 'ä'), (2, 'it''s'), (3, NULL), (4, repeat('x', 10000))");
            st.execute("GRANT SELECT ON " + q(oddSchema) + "." + q(oddTable) + " TO " + q(oddRole));
        }
        return this;
    }

    public static String q(String identifier) {
        return Identifiers.quote(identifier);
    }
}
