-- Grafana's role on the results database: it reads the consumer's tables and can change nothing, so a dashboard
-- (or anyone with Grafana's data source) cannot alter or drop results. Run by the postgres image once, when the
-- database is created, as the owner the consumer connects as (POSTGRES_USER); psql 15+ for \getenv.
\getenv reader_password GRAFANA_DB_PASSWORD
CREATE ROLE grafana_reader LOGIN PASSWORD :'reader_password';
ALTER ROLE grafana_reader SET default_transaction_read_only = on;
GRANT CONNECT ON DATABASE :"DBNAME" TO grafana_reader;
GRANT USAGE ON SCHEMA public TO grafana_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO grafana_reader;
-- The consumer creates its tables when it first starts, after this script: they become readable as they appear.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO grafana_reader;
