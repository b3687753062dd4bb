#!/bin/sh
# One-shot schema set-up for Temporal on PostgreSQL (run by the temporal-schema service in docker-compose.yml,
# in the temporalio/admin-tools image). Safe to re-run: `create` tolerates an existing database,
# `setup-schema -v 0.0` leaves a stamped database alone, and `update-schema` applies only newer versions.
set -eu
: "${POSTGRES_SEEDS:?POSTGRES_SEEDS is required}"
: "${POSTGRES_USER:?POSTGRES_USER is required}"
: "${SQL_PASSWORD:?SQL_PASSWORD is required}"
PORT="${DB_PORT:-5432}"
SCHEMA_DIR=/etc/temporal/schema/postgresql/v12

echo "waiting for PostgreSQL at ${POSTGRES_SEEDS}:${PORT}…"
until nc -z -w 2 "$POSTGRES_SEEDS" "$PORT"; do sleep 1; done

sql_tool() {
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -u "$POSTGRES_USER" -p "$PORT" "$@"
}

setup_database() {
  db=$1
  dir=$2
  sql_tool --db "$db" create || echo "database $db already exists"
  sql_tool --db "$db" setup-schema -v 0.0
  sql_tool --db "$db" update-schema -d "$dir"
}

setup_database temporal "$SCHEMA_DIR/temporal/versioned"
setup_database temporal_visibility "$SCHEMA_DIR/visibility/versioned"
echo "Temporal schema is up to date"
