#!/usr/bin/env bash
# The replica step, for real: a throwaway primary and a streaming replica (initdb,
# pg_basebackup -R, two local ports), Hearth with DATABASE_REPLICA_URL and the router
# (config/routers.py), and simulated people who read their own day back right after each save.
#
#   bench/replica.sh            # 10 people for 40 s
#
# The replica applies changes 2 s late (recovery_min_apply_delay), so a read from it right after
# a save would miss the save; the router must send that person to the primary. Prints where the
# reads of the tracker's tables landed, a save read back at once, and the write check.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
trap cleanup EXIT

USERS=${USERS:-10} RUN_SECONDS=${SECONDS_:-40}
PRIMARY_PORT=${PRIMARY_PORT:-55436} REPLICA_PORT=${REPLICA_PORT:-55437}
REDIS_PORT=${REDIS_PORT:-56381} APP_PORT=${APP_PORT:-8243}
PRIMARY="postgres://postgres@127.0.0.1:${PRIMARY_PORT}/postgres"
export DATABASE_URL=$PRIMARY
export DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:${REPLICA_PORT}/postgres"
export REDIS_URL="redis://127.0.0.1:${REDIS_PORT}/0"
APP="http://127.0.0.1:${APP_PORT}"

bench_setup
pg_new "$WORK/primary" "$PRIMARY_PORT" "wal_level = replica"
prepare_database "$PRIMARY" "$USERS"
mkdir -m 700 "$WORK/replica"
[ "$(id -u)" = 0 ] && chown postgres "$WORK/replica"
as_pg "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$WORK/replica" -R -X stream
{
  echo "port = $REPLICA_PORT"
  echo "recovery_min_apply_delay = '2s'"
} >> "$WORK/replica/postgresql.auto.conf"
pg_start "$WORK/replica"
redis_start "$REDIS_PORT"
gunicorn_start "$APP_PORT" 2
run_readers() {
  mkdir -p "$WORK/acks-readers"
  PEOPLE_FILE="$WORK/people.jsonl" ACKS_DIR="$WORK/acks-readers" bench/.venv/bin/locust \
    -f bench/locustfile.py --headless --host "$APP" --users "$USERS" --spawn-rate 2 \
    --run-time 20s --only-summary --loglevel WARNING Reader > "$WORK/readers.out" 2>&1 || true
}
sql() { psql -h 127.0.0.1 -p "$1" -U postgres -d postgres -qtAc "$2"; }
say "primary on ${PRIMARY_PORT}, replica on ${REPLICA_PORT} ($(sql "$REPLICA_PORT" 'SELECT CASE WHEN pg_is_in_recovery() THEN $$in recovery, streaming$$ END')), gunicorn on ${APP_PORT}"

TRACKER_READS="SELECT coalesce(sum(coalesce(seq_scan, 0) + coalesce(idx_scan, 0)), 0) FROM pg_stat_user_tables WHERE relname LIKE 'tracker_%'"
snapshot() { sql "$PRIMARY_PORT" "$TRACKER_READS"; sql "$REPLICA_PORT" "$TRACKER_READS"; }

echo; say "== one save, read back at once =="
TOKEN=$(head -n1 "$WORK/people.jsonl" | sed 's/.*"token": "\([^"]*\)".*/\1/')
DAY=$(date -u -d yesterday +%F)
curl -s -o /dev/null -w '           PUT stress 7 on %{url}: %{http_code}\n' -X PUT -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' -d '{"stress": 7}' "$APP/api/v1/entries/$DAY/"
say "rows for that day on the replica right now: $(sql "$REPLICA_PORT" "SELECT count(*) FROM tracker_dailyentry WHERE day = '$DAY'") (it applies changes 2 s late)"
shown=$(curl -s -H "Authorization: Bearer $TOKEN" "$APP/api/v1/trends/?start=$DAY&end=$DAY" | $PY -c 'import json, sys; print(json.load(sys.stdin)["series"]["measures"]["stress"]["values"][0])')
say "the person's trends for that day, read at once: stress ${shown} (from the primary: they just saved)"
sleep 11  # past the read-your-writes window (config.routers.RECENT_WRITE_SECONDS)

echo; say "== ${USERS} people for ${RUN_SECONDS} s, each reading their own save back at once =="
read -r primary_before replica_before < <(snapshot | paste -sd ' ')
READ_OWN_WRITES=1 run_locust "$APP" "$USERS" "$RUN_SECONDS"
read -r primary_after replica_after < <(snapshot | paste -sd ' ')
say "reads of the tracker's tables during the load (everyone saving often): primary $((primary_after - primary_before)), replica $((replica_after - replica_before))"
sleep 11
echo; say "== ${USERS} people who only look at trends and history, for 20 s =="
read -r primary_before replica_before < <(snapshot | paste -sd ' ')
PEOPLE_FILE="$WORK/people.jsonl" ACKS_DIR="$WORK/acks-readers" run_readers
read -r primary_after replica_after < <(snapshot | paste -sd ' ')
say "reads of the tracker's tables: primary $((primary_after - primary_before)), replica $((replica_after - replica_before))"
say "replica replay lag at the end: $(sql "$REPLICA_PORT" "SELECT coalesce(round(extract(epoch FROM now() - pg_last_xact_replay_timestamp())::numeric, 1)::text, '?')") s"
echo
$PY bench/check_writes.py "$WORK/acks" "$WORK/locust"
