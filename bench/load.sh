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
# if any acknowledged save was lost or altered, or any answer was a 5xx. Then the steady state:
# requests/s and latencies once every person has started, sign-ins apart (each person signs in
# once, through Django's deliberately slow password hash, while the others start).
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
status=0
$PY bench/check_writes.py "$WORK/acks" "$WORK/locust" || status=$?
echo
$PY - "$WORK/acks" <<'STEADY'
import glob, json, sys
import numpy as np
acks = sys.argv[1]
times, latencies, sign_ins = [], [], []
for path in glob.glob(f"{acks}/steady-*.json"):
    figures = json.load(open(path))
    times += figures["times"]
    latencies += figures["latencies"]
for path in glob.glob(f"{acks}/sign-ins-*.json"):
    sign_ins += json.load(open(path))
def percentiles(values):
    return " / ".join(f"{np.percentile(values, p):,.0f}" for p in (50, 95, 99)) + " ms"
if len(times) > 1:
    span = max(times) - min(times)
    print(f"steady state (every person started, sign-ins apart): {len(times):,} requests in "
          f"{span:.0f} s = {len(times) / span:.1f} requests/s, p50 / p95 / p99 {percentiles(latencies)}")
if sign_ins:
    print(f"sign-ins (password hashing at Django's default cost): {len(sign_ins)}, "
          f"p50 / p95 / p99 {percentiles(sign_ins)}")
STEADY
exit $status
