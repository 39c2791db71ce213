#!/usr/bin/env bash
# Load with nothing lost: simulated people log, edit and view trends through gunicorn (2 workers)
# and a throwaway PostgreSQL; then every acknowledged save is compared with the database.
#
#   bench/load.sh           # 25 people for 60 s
#   bench/load.sh --short   # 10 people for 20 s: the CI version (about a minute in all)
#   USERS=40 SECONDS_=120 bench/load.sh
#   CACHE=redis bench/load.sh   # the cache on a throwaway Redis (default: each worker's memory)
#   CACHE=none bench/load.sh    # no cache: every page from the database, as while Redis is down
#
# Prints requests/s and p50/p95/p99 per endpoint, answers by status, and the write check; exits 1
# if any acknowledged save was lost or altered, or any answer was a 5xx.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
trap cleanup EXIT

USERS=${USERS:-25} RUN_SECONDS=${SECONDS_:-60}
if [ "${1:-}" = "--short" ]; then USERS=10 RUN_SECONDS=20; fi
PG_PORT=${PG_PORT:-55432} APP_PORT=${APP_PORT:-8241} REDIS_PORT=${REDIS_PORT:-56382}
DB="postgres://postgres@127.0.0.1:${PG_PORT}/postgres"
export DATABASE_URL=$DB

bench_setup
say "throwaway PostgreSQL on ${PG_PORT}"
pg_new "$WORK/pg" "$PG_PORT"
case "${CACHE:-local}" in
  redis) redis_start "$REDIS_PORT"; export REDIS_URL="redis://127.0.0.1:${REDIS_PORT}/0"
    say "cache: throwaway Redis on ${REDIS_PORT}" ;;
  none) export CACHE_DISABLED=true; say "cache: none" ;;
  local) say "cache: each gunicorn worker's local memory" ;;
  *) echo "CACHE must be redis, none or local" >&2; exit 2 ;;
esac
prepare_database "$DB" "$USERS"
gunicorn_start "$APP_PORT" 2
say "gunicorn (2 workers) on ${APP_PORT}; ${USERS} people for ${RUN_SECONDS} s"
run_locust "http://127.0.0.1:${APP_PORT}" "$USERS" "$RUN_SECONDS"
say "load finished"
echo
$PY bench/check_writes.py "$WORK/acks" "$WORK/locust"
