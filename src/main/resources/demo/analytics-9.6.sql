-- Database "analytics" on PostgreSQL 9.6: declarative partitioning needs 10, so "measurements" is a parent with
-- three inheritance children (CHECK constraints), otherwise as analytics.sql. The parent itself holds no rows.
SET ROLE app_owner;

CREATE TABLE sensors (
    id       integer PRIMARY KEY,
    name     text NOT NULL,
    location text NOT NULL
);

CREATE TABLE measurements (
    sensor_id integer NOT NULL,
    taken_at  timestamptz NOT NULL,
    value     double precision NOT NULL
);
CREATE TABLE measurements_2024_01 (
    CHECK (taken_at >= '2024-01-01 00:00:00+00' AND taken_at < '2024-02-01 00:00:00+00')
) INHERITS (measurements);
CREATE TABLE measurements_2024_02 (
    CHECK (taken_at >= '2024-02-01 00:00:00+00' AND taken_at < '2024-03-01 00:00:00+00')
) INHERITS (measurements);
CREATE TABLE measurements_2024_03 (
    CHECK (taken_at >= '2024-03-01 00:00:00+00' AND taken_at < '2024-04-01 00:00:00+00')
) INHERITS (measurements);

INSERT INTO sensors (id, name, location)
SELECT g, 'sensor-' || g, (ARRAY['north', 'south', 'east'])[1 + g % 3]
FROM generate_series(1, 20) AS g;

-- One sample every 15 minutes from January to March 2024: 2,976 + 2,784 + 2,976 = 8,736 rows.
INSERT INTO measurements_2024_01 (sensor_id, taken_at, value)
SELECT 1 + g % 20, timestamptz '2024-01-01 00:00:00+00' + g * interval '15 minutes', round((20 + 10 * sin(g / 50.0))::numeric, 3)
FROM generate_series(0, 2975) AS g;
INSERT INTO measurements_2024_02 (sensor_id, taken_at, value)
SELECT 1 + g % 20, timestamptz '2024-01-01 00:00:00+00' + g * interval '15 minutes', round((20 + 10 * sin(g / 50.0))::numeric, 3)
FROM generate_series(2976, 5759) AS g;
INSERT INTO measurements_2024_03 (sensor_id, taken_at, value)
SELECT 1 + g % 20, timestamptz '2024-01-01 00:00:00+00' + g * interval '15 minutes', round((20 + 10 * sin(g / 50.0))::numeric, 3)
FROM generate_series(5760, 8735) AS g;

CREATE VIEW daily_averages AS
SELECT sensor_id, date_trunc('day', taken_at) AS day, avg(value) AS avg_value, count(*) AS samples
FROM measurements
GROUP BY sensor_id, date_trunc('day', taken_at);

CREATE MATERIALIZED VIEW sensor_summary AS
SELECT s.id, s.name, count(m.taken_at) AS samples, max(m.value) AS max_value
FROM sensors AS s LEFT JOIN measurements AS m ON m.sensor_id = s.id
GROUP BY s.id, s.name;

GRANT SELECT ON ALL TABLES IN SCHEMA public TO readers;
GRANT SELECT ON daily_averages, sensor_summary TO reporting;
RESET ROLE;
