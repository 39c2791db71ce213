#!/usr/bin/env bash
# Benchmark the fast paths against /healthz with 1,000 people x five years in PostgreSQL:
# /trends/?range=all, and saving a day through the log form and the API.
#
#   bench/trends.sh            # builds the data set (a few minutes) unless it exists, then measures
#   REBUILD=1 bench/trends.sh  # drop and rebuild the benchmark database first
#
# /healthz is measured bare (no cookie, no wrk script), the pages as 200 signed-in people in turn.
# Prints requests/s, p50 and p99 for each URL with the cache cold (disabled) and warm (Redis,
# every person's page already cached), the trends/healthz ratios, and the page weight of /trends/.
# It also prints the server's CPU time per request (gunicorn workers + PostgreSQL backends), and
# the ratios by it: on a machine others are using, requests/s swing with their load; CPU per
# request hardly does. The trends page is measured at 16 connections for throughput and at 4 (one
# per worker) for latency; the saves at 4 (POST /log/<day>/ and PUT /api/v1/entries/<day>/, a day
# of the last four weeks, bench/saves.lua), with the warm server's Redis.
set -euo pipefail
cd "$(dirname "$0")/.."

DB_NAME=${BENCH_DB:-hearth_bench}
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/${DB_NAME}"
export DEBUG=false SECRET_KEY=benchmark-only ALLOWED_HOSTS=127.0.0.1 LOG_LEVEL=WARNING
# gunicorn speaks plain http here, as behind a TLS-terminating proxy: no redirect to https.
export SECURE_SSL_REDIRECT=false
# A fixed key for the synthetic notes only; never use it for real records.
export NOTES_ENCRYPTION_KEYS=${NOTES_ENCRYPTION_KEYS:-YmVuY2htYXJrLW9ubHktbm90ZXMta2V5LWhlYXJ0aCE=}
export STATICFILES_STORAGE=whitenoise.storage.CompressedManifestStaticFilesStorage
# Production refuses the console mail backend, and a per-process cache outside one process (the
# management commands here; the server runs with the cache disabled or on Redis).
export EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend SINGLE_PROCESS=true
# The API's throttle still runs on every save (its cache reads are part of the cost), but 200
# people saving flat out would meet its limit within seconds.
export API_USER_RATE=1000000/hour
PEOPLE=${PEOPLE:-1000} DAYS=${DAYS:-1825} PORT=${PORT:-8765} WORKERS=${WORKERS:-4}
DURATION=${DURATION:-15s} CONNECTIONS=${CONNECTIONS:-16}

bin/setup
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
PY=.venv/bin/python

if [ -n "${REBUILD:-}" ]; then dropdb -h 127.0.0.1 -U postgres --if-exists "$DB_NAME"; fi
NEW_DATABASE=""
if ! psql -h 127.0.0.1 -U postgres -lqt | cut -d'|' -f1 | grep -qw "$DB_NAME"; then
  createdb -h 127.0.0.1 -U postgres "$DB_NAME"
  NEW_DATABASE=1
fi
$PY manage.py migrate --verbosity 0
if [ -n "$NEW_DATABASE" ]; then
  echo "Generating ${PEOPLE} people x ${DAYS} days..."
  /usr/bin/time -f "  seeded in %e s" $PY manage.py seed_demo --users "$PEOPLE" --days "$DAYS"
fi
$PY manage.py collectstatic --noinput --verbosity 0
psql -h 127.0.0.1 -U postgres -d "$DB_NAME" -qtAc "SELECT 'entries: ' || count(*) FROM tracker_dailyentry"
# Fresh bulk loads have no planner statistics yet; without them PostgreSQL scans whole tables.
psql -h 127.0.0.1 -U postgres -d "$DB_NAME" -qc "VACUUM ANALYZE"

SESSIONS_FILE=$(mktemp)
export SESSIONS_FILE
$PY bench/sessions.py 200 --tokens > "$SESSIONS_FILE"

start_server() {
  .venv/bin/gunicorn config.wsgi --bind "127.0.0.1:${PORT}" --workers "$WORKERS" \
    --log-level warning --error-logfile /tmp/hearth-bench-${PORT}-gunicorn.log --no-control-socket \
    --pid /tmp/hearth-bench-${PORT}.pid --daemon
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:${PORT}/healthz" >/dev/null && return; sleep 0.2; done
  echo "gunicorn did not start; see /tmp/hearth-bench-${PORT}-gunicorn.log" >&2; exit 1
}
stop_server() {
  local pid
  pid=$(cat /tmp/hearth-bench-${PORT}.pid 2>/dev/null) || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
}
trap 'stop_server; rm -f "$SESSIONS_FILE"' EXIT

cpu_ticks() { # PIDS...: CPU time they used so far, in clock ticks
  local total=0 pid
  for pid in "$@"; do
    [ -r "/proc/${pid}/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/${pid}/stat")))
  done
  echo "$total"
}
worker_cpu_ticks() { cpu_ticks $(pgrep -P "$(cat /tmp/hearth-bench-${PORT}.pid)"); }
database_cpu_ticks() { # the benchmark database's backends
  cpu_ticks $(psql -h 127.0.0.1 -U postgres -qtAc \
    "SELECT pid FROM pg_stat_activity WHERE datname = '${DB_NAME}' AND pid <> pg_backend_pid()")
}

measure() { # label path [bare|pages|form|api] [connections] -> prints "label rps p50 p99 cpu-per-request"
  # "bare" is the cheapest honest baseline: a plain GET with no cookie and no Lua script, whose
  # per-request callbacks would slow wrk itself down and deflate the baseline. "pages" (the
  # default) GETs the path as the 200 people in turn; "form" and "api" save a day as them
  # (bench/saves.lua).
  local out before_workers before_database mode=${3:-pages} connections=${4:-$CONNECTIONS}
  # Two seconds first, uncounted: every worker has booted (its imports are CPU time too) and
  # holds its database connection before the CPU time is read.
  wrk -t2 -c"$CONNECTIONS" -d2s "http://127.0.0.1:${PORT}/healthz" >/dev/null
  before_workers=$(worker_cpu_ticks) before_database=$(database_cpu_ticks)
  if [ "$mode" = bare ]; then
    out=$(wrk -t2 -c"$connections" -d"$DURATION" --latency "http://127.0.0.1:${PORT}$2")
    awk '/Non-2xx or 3xx responses/ {print "status non-2xx: " $NF}' <<<"$out" \
      > /tmp/hearth-bench-${PORT}-errors.txt
  elif [ "$mode" = pages ]; then
    out=$(BENCH_PATH="$2" wrk -t2 -c"$connections" -d"$DURATION" --latency \
      -s bench/rotate_sessions.lua "http://127.0.0.1:${PORT}" 2>/tmp/hearth-bench-${PORT}-errors.txt)
  else
    out=$(SAVE="$mode" wrk -t2 -c"$connections" -d"$DURATION" --latency \
      -s bench/saves.lua "http://127.0.0.1:${PORT}" 2>/tmp/hearth-bench-${PORT}-errors.txt)
  fi
  local rps p50 p99 errors cpu workers_cpu
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(grep -c status /tmp/hearth-bench-${PORT}-errors.txt || true)
  # Server CPU per request (workers + PostgreSQL) hardly moves when other programs load the
  # machine, unlike requests/s: compare these when the machine is shared.
  # The split between gunicorn's workers and PostgreSQL says which side a change must work on.
  local requests workers database
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  workers=$(($(worker_cpu_ticks) - before_workers))
  database=$(($(database_cpu_ticks) - before_database))
  per_request() { awk -v ticks="$1" -v hz="$(getconf CLK_TCK)" -v requests="$requests" \
    'BEGIN {printf "%.1f", ticks * 1000 / hz / requests}'; }
  cpu=$(per_request $((workers + database)))
  workers_cpu=$(per_request "$workers")
  printf '%-28s %10s req/s   p50 %8s   p99 %8s   server CPU %6s ms/request (gunicorn %s)   non-200: %s\n' \
    "$1" "$rps" "$p50" "$p99" "$cpu" "$workers_cpu" "$errors"
  echo "$cpu" > "/tmp/hearth-bench-${PORT}-$1.cpu"
  # A redirect or an error page is much cheaper than the page itself: figures with any are void.
  if [ "$errors" != 0 ]; then
    echo "  WARNING: $errors answers were not 200 ($(sort /tmp/hearth-bench-${PORT}-errors.txt | uniq -c | head -3 | xargs)); these figures do not measure the page" >&2
  fi
  echo "$rps" > "/tmp/hearth-bench-${PORT}-$1.rps"
}

ratio() { awk -v a="$(cat "/tmp/hearth-bench-${PORT}-$1.rps")" -v b="$(cat "/tmp/hearth-bench-${PORT}-$2.rps")" \
  'BEGIN {printf "%.2f", a / b}'; }
cpu_ratio() { awk -v a="$(cat "/tmp/hearth-bench-${PORT}-$1.cpu")" -v b="$(cat "/tmp/hearth-bench-${PORT}-$2.cpu")" \
  'BEGIN {printf "%.2f", b / a}'; }

echo
echo "== cold: cache disabled =="
CACHE_DISABLED=true start_server
measure healthz-cold /healthz bare
measure trends-cold "/trends/?range=all"
measure trends-cold-4 "/trends/?range=all" pages 4
stop_server

echo "== warm: Redis cache, every person's page cached =="
redis-cli -n 5 flushdb >/dev/null
REDIS_URL=redis://127.0.0.1:6379/5 start_server
while read -r key; do
  curl -s -o /dev/null -H "Cookie: sessionid=${key}" "http://127.0.0.1:${PORT}/trends/?range=all"
done < <(cut -d' ' -f1 "$SESSIONS_FILE")
measure healthz-warm /healthz bare
measure trends-warm "/trends/?range=all"
measure trends-warm-4 "/trends/?range=all" pages 4

echo "== saves: one day each, as the 200 people, 4 connections =="
measure healthz-4 /healthz bare 4
measure save-form "/log/<day>/" form 4
measure save-api "/api/v1/entries/<day>/" api 4

echo
echo "ratio trends/healthz cold: $(ratio trends-cold healthz-cold)   (target >= 0.15)" \
  "  by server CPU per request: $(cpu_ratio trends-cold healthz-cold)"
echo "ratio trends/healthz warm: $(ratio trends-warm healthz-warm)   (target >= 0.40)" \
  "  by server CPU per request: $(cpu_ratio trends-warm healthz-warm)"

key=$(head -n1 "$SESSIONS_FILE" | cut -d' ' -f1)
curl -s -H "Cookie: sessionid=${key}" "http://127.0.0.1:${PORT}/trends/?range=all" \
  -o /tmp/hearth-trends.html
html=$(gzip -c /tmp/hearth-trends.html | wc -c)
assets=0
for asset in $(grep -oE '/static/[^"]+\.(js|css)' /tmp/hearth-trends.html | sort -u); do
  size=$(curl -s -H "Accept-Encoding: gzip" "http://127.0.0.1:${PORT}${asset}" -o /dev/null -w '%{size_download}')
  assets=$((assets + size))
done
echo "page weight of /trends/?range=all: HTML ${html} B gzip + JS/CSS ${assets} B compressed = $(( (html + assets) / 1024 )) KB (target < 150 KB)"
