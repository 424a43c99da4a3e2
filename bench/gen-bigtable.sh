#!/usr/bin/env bash
# Usage: bench/gen-bigtable.sh [PGBENCH_SCALE]     (default 300: pgbench_accounts about 3.8 GB)
#
# Loads the big-table dataset into the lab's source server: database pgbench made by
# `pgbench -i -s PGBENCH_SCALE --foreign-keys` (the lab's own recipe for its pgbench database, at a
# larger scale), so one table with an integer primary key holds nearly all the data. Besides it
# only what the lab's verify.sh needs to pass: the role app_reader (password readerpass) and an
# empty database events, where verify.sh checks that role's login.
#
# It is meant for a lab copy of its own (another BENCH_DIR, see bench/README.md): it refuses a
# source that holds any other database, such as the lab's multi-database dataset.
source "$(dirname "$0")/lab.sh"

SCALE=${1:-300}
others=$(list_dbs src | grep -vx -e pgbench -e events || true)
[ -z "$others" ] || { echo "the source in $BENCH_DIR holds other databases ($(echo $others)):" \
  "use a lab copy of its own for the big-table dataset (BENCH_DIR, SRC_PORT, DST_PORT)" >&2; exit 2; }

rm -rf "$BENCH_DIR/limit" # the files exported for the limit method are stale now
psql_src postgres <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app_reader') THEN
    CREATE ROLE app_reader LOGIN PASSWORD 'readerpass';
  END IF;
END $$;
DROP DATABASE IF EXISTS events;
CREATE DATABASE events;
DROP DATABASE IF EXISTS pgbench;
CREATE DATABASE pgbench;
SQL
log "pgbench -i -s $SCALE"
pgbench -q -h "$HOST" -p "$SRC_PORT" -i -s "$SCALE" -I dtGvp --foreign-keys pgbench 2>&1 | tail -1 >&2
psql_src postgres -c CHECKPOINT
psql_src pgbench -c "SELECT relname, pg_size_pretty(pg_total_relation_size(oid)) AS size FROM pg_class
  WHERE relname LIKE 'pgbench%' AND relkind = 'r' ORDER BY pg_total_relation_size(oid) DESC"
