#!/usr/bin/env bash
# Faults under load: the same simulated people as bench/load.sh while, one after another,
# PostgreSQL restarts, a gunicorn worker is killed and Redis stops. Prints what it saw, then
# checks that every acknowledged save is in the database.
#
#   bench/faults.sh            # 20 people for 100 s
#
# Only the throwaway PostgreSQL (55435) and Redis (56380) this script starts are stopped and
# restarted; the machine's shared services are never touched. Exits 1 if an acknowledged save was
# lost or altered, or a request got a 5xx other than the friendly 503.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
trap cleanup EXIT

USERS=${USERS:-20} RUN_SECONDS=${SECONDS_:-100}
PG_PORT=${PG_PORT:-55435} REDIS_PORT=${REDIS_PORT:-56380} APP_PORT=${APP_PORT:-8242}
DB="postgres://postgres@127.0.0.1:${PG_PORT}/postgres"
APP="http://127.0.0.1:${APP_PORT}"
export DATABASE_URL=$DB REDIS_URL="redis://127.0.0.1:${REDIS_PORT}/0"

bench_setup
pg_new "$WORK/pg" "$PG_PORT"
redis_start "$REDIS_PORT"
prepare_database "$DB" "$USERS"
SESSION=$($PY bench/sessions.py 1)
gunicorn_start "$APP_PORT" 2
say "PostgreSQL on ${PG_PORT}, Redis on ${REDIS_PORT}, gunicorn (2 workers) on ${APP_PORT}"
say "load: ${USERS} people for ${RUN_SECONDS} s"
run_locust "$APP" "$USERS" "$RUN_SECONDS" &
LOCUST=$!

status() { curl -s -o /dev/null -m 15 -w '%{http_code}' -H "Cookie: sessionid=${SESSION}" "$APP$1" || true; }
seconds() { curl -s -o /dev/null -m 10 -w '%{time_total}' -H "Cookie: sessionid=${SESSION}" "$APP$1" || true; }
sample() { # label: one line of what a person, a script and the load balancer see now
  say "$(printf '%-22s /healthz %s   /trends/ %s   /api/v1/trends/ %s' "$1" \
    "$(status /healthz)" "$(status /trends/)" "$(status /api/v1/trends/)")"
}
wait_until_healthy() { # prints the seconds it took
  for i in $(seq 300); do
    [ "$(status /healthz)" = 200 ] && { echo "$(( i / 10 )).$(( i % 10 ))"; return; }
    sleep 0.1
  done
  echo "never"
}

sleep 25  # every person signed in (2 a second)
echo; say "== PostgreSQL restart =="
sample "before"
pg_stop "$WORK/pg" fast
say "PostgreSQL stopped"
for _ in 1 2 3; do sample "during the outage"; sleep 1; done
curl -s -H "Cookie: sessionid=${SESSION}" "$APP/trends/" | grep -o '<h1>[^<]*</h1>' | sed 's/^/           page shown: /'
curl -s -D - -o - "$APP/api/v1/entries/" -H "Authorization: Bearer $(head -n1 "$WORK/people.jsonl" | sed 's/.*"token": "\([^"]*\)".*/\1/')" \
  | grep -iE '^retry-after|errors' | sed 's/^/           API answered: /'
pg_start "$WORK/pg"
say "PostgreSQL started again; healthy after $(wait_until_healthy) s"
sample "after"

sleep 8
echo; say "== gunicorn worker killed =="
before=$(gunicorn_workers)
victim=${before%% *}
kill -9 "$victim"
say "workers before: ${before}; killed ${victim} with SIGKILL"
for _ in $(seq 100); do
  now=$(gunicorn_workers)
  [ "$(wc -w <<<"$now")" -ge 2 ] && ! grep -qw "$victim" <<<"$now" && break
  sleep 0.1
done
say "workers now: $(gunicorn_workers)"
sample "after"

sleep 8
echo; say "== Redis stopped =="
before=$(for _ in 1 2 3 4 5; do seconds "/trends/?range=all"; echo; done | sort -n | sed -n 3p)
redis_stop "$REDIS_PORT"
sample "Redis down"
during=$(for _ in 1 2 3 4 5; do seconds "/trends/?range=all"; echo; done | sort -n | sed -n 3p)
sleep 5
sample "Redis still down"
redis_start "$REDIS_PORT"
sleep 6  # the cache tries Redis again 5 s after its last failure
after=$(for _ in 1 2 3 4 5; do seconds "/trends/?range=all"; echo; done | sort -n | sed -n 3p)
say "/trends/?range=all median of 5: ${before} s with Redis, ${during} s without, ${after} s once back"
sample "Redis back"

wait "$LOCUST"
say "load finished"
echo
grep -E "cache (un)?reachable|database unavailable" "$WORK/gunicorn.log" | cut -c1-160 | sort | uniq -c | sort -rn | head -5 || true
echo
$PY bench/check_writes.py "$WORK/acks" "$WORK/locust" --outage
