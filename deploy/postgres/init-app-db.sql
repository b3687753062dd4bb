-- Runs once, when the postgres volume is first initialised: the application's own database.
-- Temporal's databases (temporal, temporal_visibility) are created by deploy/temporal/setup-postgres.sh.
CREATE DATABASE migrateclouds;
