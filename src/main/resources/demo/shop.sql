-- Database "shop": an order system with foreign keys, triggers, sequences and one bigger table ("events").
-- Runs as the superuser; every object belongs to app_owner. Counts are deterministic (DemoDatasetIT checks them).
SET ROLE app_owner;

CREATE TABLE customers (
    id         serial PRIMARY KEY,
    email      text NOT NULL UNIQUE,
    name       text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE SEQUENCE invoice_number_seq START 100000;

CREATE TABLE orders (
    id          serial PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES customers (id),
    invoice_no  bigint NOT NULL DEFAULT nextval('invoice_number_seq') UNIQUE,
    status      text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'paid', 'shipped', 'cancelled')),
    ordered_at  timestamptz NOT NULL,
    total       numeric(12, 2) NOT NULL DEFAULT 0
);
CREATE INDEX orders_customer_id_idx ON orders (customer_id);

CREATE TABLE order_items (
    order_id   integer NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line_no    integer NOT NULL,
    sku        text NOT NULL,
    quantity   integer NOT NULL CHECK (quantity > 0),
    unit_price numeric(10, 2) NOT NULL,
    PRIMARY KEY (order_id, line_no)
);

CREATE TABLE order_audit (
    id         bigserial PRIMARY KEY,
    order_id   integer NOT NULL,
    operation  text NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
CREATE TRIGGER customers_touch_updated_at BEFORE UPDATE ON customers
    FOR EACH ROW EXECUTE PROCEDURE touch_updated_at();

CREATE FUNCTION audit_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO order_audit (order_id, operation) VALUES (NEW.id, TG_OP);
    RETURN NEW;
END
$$;
CREATE TRIGGER orders_audit AFTER INSERT OR UPDATE ON orders
    FOR EACH ROW EXECUTE PROCEDURE audit_order();

-- 1,000 customers, 5,000 orders, 15,000 order items; the triggers write 10,000 audit rows.
INSERT INTO customers (email, name, created_at)
SELECT 'customer' || g || '@example.com', 'Customer ' || g, timestamptz '2024-01-01 00:00:00+00' + g * interval '1 hour'
FROM generate_series(1, 1000) AS g;

INSERT INTO orders (customer_id, status, ordered_at)
SELECT 1 + g % 1000, (ARRAY['new', 'paid', 'shipped', 'cancelled'])[1 + g % 4],
       timestamptz '2024-01-01 00:00:00+00' + g * interval '10 minutes'
FROM generate_series(1, 5000) AS g;

INSERT INTO order_items (order_id, line_no, sku, quantity, unit_price)
SELECT o, l, 'SKU-' || ((o * 7 + l) % 500), 1 + (o + l) % 5, 1 + ((o * 13 + l) % 10000) / 100.0
FROM generate_series(1, 5000) AS o, generate_series(1, 3) AS l;

UPDATE orders SET total = items.total
FROM (SELECT order_id, sum(quantity * unit_price) AS total FROM order_items GROUP BY order_id) AS items
WHERE items.order_id = orders.id;

UPDATE customers SET name = name || ' (VIP)' WHERE id % 100 = 0;

-- The bigger table: 300,000 rows, two secondary indexes.
CREATE TABLE events (
    id          bigserial PRIMARY KEY,
    customer_id integer NOT NULL,
    kind        text NOT NULL,
    occurred_at timestamptz NOT NULL,
    payload     text
);
INSERT INTO events (customer_id, kind, occurred_at, payload)
SELECT 1 + g % 1000, (ARRAY['view', 'click', 'cart', 'buy'])[1 + g % 4],
       timestamptz '2024-01-01 00:00:00+00' + g * interval '1 minute', md5(g::text)
FROM generate_series(1, 300000) AS g;
CREATE INDEX events_occurred_at_idx ON events (occurred_at);
CREATE INDEX events_customer_kind_idx ON events (customer_id, kind);
COMMENT ON TABLE events IS 'Click stream: the big table of the demo';

GRANT SELECT ON ALL TABLES IN SCHEMA public TO readers;
GRANT SELECT ON customers, orders TO reporting;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO readers;
ALTER DATABASE shop SET work_mem = '8MB';
RESET ROLE;
