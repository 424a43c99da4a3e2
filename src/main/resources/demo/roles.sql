-- Global objects of the demo dataset: run once, as the superuser, in the database "postgres".
-- The passwords are demo values, repeated in DemoDataset's constants (DemoDatasetIT logs in with them).
CREATE ROLE app_owner LOGIN PASSWORD 'app-owner-demo';
CREATE ROLE readers NOLOGIN;
CREATE ROLE app_reader LOGIN PASSWORD 'app-reader-demo' IN ROLE readers;
CREATE ROLE reporting NOLOGIN;
ALTER ROLE app_reader SET statement_timeout = '30s';
COMMENT ON ROLE reporting IS 'Reporting jobs (no login of its own)';
