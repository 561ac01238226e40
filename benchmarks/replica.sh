#!/usr/bin/env bash
# A private PostgreSQL primary (port 5433) and its streaming replica (port 5434) for
# `benchmarks/run.py --replica-url` (issue 14). Never touches the shared server on 5432.
#   bash benchmarks/replica.sh start   make both (if missing), seed the primary, start both
#   bash benchmarks/replica.sh stop    stop both
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=/usr/lib/postgresql/15/bin
BASE=${REPLICA_BASE:-/var/tmp/portal-replica}
DB=${REPLICA_DB:-portal_replica_bench}
as_pg() { runuser -u postgres -- "$@"; }
case "${1:-start}" in
start)
  mkdir -p "$BASE" && chown postgres "$BASE"
  if [ ! -d "$BASE/primary" ]; then
    as_pg $BIN/initdb -D "$BASE/primary" -U postgres --auth=trust >/dev/null
    cat >>"$BASE/primary/postgresql.conf" <<CONF
port = 5433
listen_addresses = '127.0.0.1'
unix_socket_directories = '$BASE'
wal_level = replica
max_wal_senders = 4
shared_buffers = 512MB
synchronous_commit = off
CONF
  fi
  as_pg $BIN/pg_ctl -D "$BASE/primary" status >/dev/null || \
    as_pg $BIN/pg_ctl -D "$BASE/primary" -l "$BASE/primary.log" -w start
  if ! psql -h 127.0.0.1 -p 5433 -U postgres -Atc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1; then
    createdb -h 127.0.0.1 -p 5433 -U postgres "$DB"
    export DATABASE_URL="postgres://postgres@127.0.0.1:5433/$DB" DEBUG=true
    .venv/bin/python manage.py migrate -v0
    .venv/bin/python manage.py createcachetable
    .venv/bin/python manage.py seed_demo --scale district >/dev/null
  fi
  if [ ! -d "$BASE/replica" ]; then
    as_pg $BIN/pg_basebackup -h 127.0.0.1 -p 5433 -U postgres -D "$BASE/replica" -R -X stream -c fast
    echo "port = 5434" | as_pg tee -a "$BASE/replica/postgresql.conf" >/dev/null
  fi
  as_pg $BIN/pg_ctl -D "$BASE/replica" status >/dev/null || \
    as_pg $BIN/pg_ctl -D "$BASE/replica" -l "$BASE/replica.log" -w start
  psql -h 127.0.0.1 -p 5433 -U postgres -Atc "SELECT client_addr, state, replay_lag FROM pg_stat_replication"
  ;;
stop)
  for node in replica primary; do
    [ -d "$BASE/$node" ] && as_pg $BIN/pg_ctl -D "$BASE/$node" -m fast -w stop || true
  done
  ;;
esac
