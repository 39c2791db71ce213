#!/usr/bin/env bash
# Trends as the database grows: the same people's /trends/?range=all measured in a database of
# 1,000 people and in one of 10,000 (five years each), back to back, then side by side.
#
#   bench/scale.sh               # measures hearth_bench and hearth_bench_10k, whichever exist
#   BUILD_10K=1 bench/scale.sh   # first builds hearth_bench_10k if it is missing (24 minutes here)
#   SAMPLE=50 SEED=9 SMALL_DB=hearth_bench LARGE_DB=hearth_bench_10k bench/scale.sh
#
# seed_demo makes the same people in the same order from the same seed, so bench-000001 to
# bench-001000 hold the same days in both databases (when both were seeded on the same day): the
# sample is drawn from them, and only the number of other people differs. For each database, with
# the cache disabled, one database after the other:
#   - in process (django.test.Client): the whole render, its Python CPU time, its SQL time and
#     query count, for each sampled person's page a first time and right again (PostgreSQL's
#     buffers then hold that person's rows); and EXPLAIN (ANALYZE, BUFFERS) of the second
#     render's reads: PostgreSQL's own time, the pages it found in its buffers or had to read,
#     and the indexes it went through;
#   - through gunicorn: each sampled person's page once, one request at a time (p50/p90/max);
#   - wrk for DURATION over the sampled people: requests/s, p50, p99 and the server's CPU time
#     per request (gunicorn workers + PostgreSQL backends), which hardly moves with other load.
# Migrates the databases first. The sessions it makes are deleted when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

SESSION_DBS=()
delete_sessions() { # the sessions this script made, in every database it made them in
  local db
  for db in "${SESSION_DBS[@]}"; do
    [ -s "$WORK/$db.sessions" ] || continue
    psql -h 127.0.0.1 -U postgres -d "$db" -qtAc "DELETE FROM django_session WHERE session_key IN \
($(cat "$WORK/$db".sessions* | sed "s/.*/'&'/" | paste -sd,))" >/dev/null || true
  done
}
trap 'delete_sessions; cleanup' EXIT

SMALL_DB=${SMALL_DB:-hearth_bench} SMALL_PEOPLE=${SMALL_PEOPLE:-1000}
LARGE_DB=${LARGE_DB:-hearth_bench_10k} LARGE_PEOPLE=${LARGE_PEOPLE:-10000}
DAYS=${DAYS:-1825} SAMPLE=${SAMPLE:-50} SEED=${SEED:-9}
APP_PORT=${APP_PORT:-8291} WORKERS=${WORKERS:-2} DURATION=${DURATION:-15s} CONNECTIONS=${CONNECTIONS:-8}
# The key bench/trends.sh seeds with: the benchmark databases' notes are encrypted with it.
export NOTES_ENCRYPTION_KEYS=YmVuY2htYXJrLW9ubHktbm90ZXMta2V5LWhlYXJ0aCE=
export CACHE_DISABLED=true
PAGE="/trends/?range=all"

sql() { psql -h 127.0.0.1 -U postgres -d "$1" -qtAc "$2"; }
exists() { psql -h 127.0.0.1 -U postgres -lqt | cut -d'|' -f1 | grep -qw "$1"; }

build() { # DB PEOPLE
  say "building $1: $2 people x ${DAYS} days"
  createdb -h 127.0.0.1 -U postgres "$1"
  DATABASE_URL="postgres://postgres@127.0.0.1:5432/$1" $PY manage.py migrate --verbosity 0
  DATABASE_URL="postgres://postgres@127.0.0.1:5432/$1" /usr/bin/time -f "  seeded in %e s" \
    nice -n 10 $PY manage.py seed_demo --users "$2" --days "$DAYS" >/dev/null
  # Fresh bulk loads have no planner statistics yet; without them PostgreSQL scans whole tables.
  sql "$1" "VACUUM ANALYZE"
}

DBS=()
for spec in "$SMALL_DB:$SMALL_PEOPLE" "$LARGE_DB:$LARGE_PEOPLE"; do
  db=${spec%%:*} people=${spec##*:}
  if ! exists "$db"; then
    if [ "$db" = "$LARGE_DB" ] && [ -z "${BUILD_10K:-}" ]; then
      say "$db does not exist: skipped (BUILD_10K=1 builds it, about 25 minutes)"
      continue
    fi
    build "$db" "$people"
  fi
  DBS+=("$db")
done
[ ${#DBS[@]} -gt 0 ] || { echo "no benchmark database to measure" >&2; exit 1; }

bin/setup
$PY manage.py collectstatic --noinput --verbosity 0
for db in "${DBS[@]}"; do
  DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db" $PY manage.py migrate --verbosity 0
done
# The sample comes from the people every measured database has.
COMMON=$(for db in "${DBS[@]}"; do
  sql "$db" "SELECT count(*) FROM accounts_user WHERE email LIKE 'bench-%@hearth.example'"
done | sort -n | head -n1)
say "sample: ${SAMPLE} of bench-000001 to bench-$(printf %06d "$COMMON") (seed ${SEED}); measuring ${DBS[*]}"

probe_in_process() { # DB: sessions to $WORK/DB.sessions, figures to stdout as "label<TAB>value"
  DATABASE_URL="postgres://postgres@127.0.0.1:5432/$1" ALLOWED_HOSTS=testserver \
    SEED=$SEED SAMPLE=$SAMPLE COMMON=$COMMON PAGE=$PAGE SESSIONS_OUT="$WORK/$1.sessions" \
    $PY - <<'PYTHON'
import os
import random
import resource
import statistics
import time
from importlib import import_module

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from tracker.models import DailyEntry  # noqa: E402

numbers = random.Random(int(os.environ["SEED"])).sample(
    range(1, int(os.environ["COMMON"]) + 1), int(os.environ["SAMPLE"])
)
people = list(User.objects.filter(email__in=[f"bench-{n:06d}@hearth.example" for n in numbers]))
store_class = import_module(settings.SESSION_ENGINE).SessionStore


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def explain(queries: list[dict]) -> tuple[float, int, int, set[str]]:
    """PostgreSQL's own account of a render's reads: execution ms, pages found in its buffers,
    pages it had to read, and the scans it chose."""
    total_ms, hit, read, scans = 0.0, 0, 0, set()
    with connection.cursor() as cursor:
        for query in queries:
            if not query["sql"].lstrip().upper().startswith("SELECT"):
                continue  # EXPLAIN ANALYZE would run a write again
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + query["sql"])
            [result] = cursor.fetchone()[0]
            total_ms += result["Execution Time"]
            hit += result["Plan"]["Shared Hit Blocks"]
            read += result["Plan"]["Shared Read Blocks"]
            nodes = [result["Plan"]]
            while nodes:
                node = nodes.pop()
                nodes.extend(node.get("Plans", []))
                table = node.get("Relation Name", "")
                if table.startswith("tracker_dailyentry"):
                    scans.add(f"{node['Node Type']} {node.get('Index Name', table)}")
    return total_ms, hit, read, scans


def signed_in(person: User) -> str:
    session = store_class()
    session[SESSION_KEY] = str(person.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = person.get_session_auth_hash()
    session.create()
    return session.session_key


client = Client()
# The process's first render compiles templates; the demo account's page pays for that here
# (and gunicorn's workers get it as their warm-up), not a sampled person's.
with open(os.environ["SESSIONS_OUT"] + ".warm-up", "w") as warm_up:
    print(key := signed_in(User.objects.get(email="demo@hearth.example")), file=warm_up)
client.cookies[settings.SESSION_COOKIE_NAME] = key
client.get(os.environ["PAGE"])
runs = {run: {"render": [], "cpu": [], "sql": [], "queries": []} for run in ("first", "again")}
explained = []
with open(os.environ["SESSIONS_OUT"], "w") as sessions:
    for person in people:
        print(key := signed_in(person), file=sessions)
        client.cookies[settings.SESSION_COOKIE_NAME] = key
        for run in runs.values():
            with CaptureQueriesContext(connection) as captured:
                started, cpu_started = time.perf_counter(), cpu_seconds()
                response = client.get(os.environ["PAGE"])
                run["render"].append((time.perf_counter() - started) * 1000)
                run["cpu"].append((cpu_seconds() - cpu_started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{os.environ['PAGE']} answered {response.status_code}")
            queries = captured.captured_queries
            run["sql"].append(sum(float(query["time"]) for query in queries) * 1000)
            run["queries"].append(len(queries))
        explained.append(explain(queries))  # of the second render only


def p50_max(values, digits: int = 0) -> str:
    values = list(values)
    return f"{statistics.median(values):.{digits}f} / {max(values):.{digits}f}"


entries = DailyEntry.objects.filter(user__in=people).count()
print(f"people in the database\t{User.objects.filter(email__startswith='bench-').count():,}")
print(f"daily entries in the database\t{DailyEntry.objects.count():,}")
print(f"sampled people / their entries\t{len(people)} / {entries:,}")
for name, run in runs.items():
    print(f"in process, {name}: render p50 / max ms\t{p50_max(run['render'])}")
    print(f"in process, {name}: Python CPU p50 / max ms\t{p50_max(run['cpu'])}")
    print(f"in process, {name}: SQL p50 / max ms\t{p50_max(run['sql'])}")
    print(f"in process, {name}: queries per render\t{min(run['queries'])}-{max(run['queries'])}")
execution_ms, hit, read, scans = zip(*explained, strict=True)
print(f"EXPLAIN ANALYZE of a render's reads: ms p50 / max\t{p50_max(execution_ms, 1)}")
print(f"  pages found in PostgreSQL's buffers p50 / max\t{p50_max(hit)}")
print(f"  pages read from disk or the OS cache p50 / max\t{p50_max(read)}")
print(f"  entries read through\t{', '.join(sorted(set().union(*scans)))}")
PYTHON
}

server_cpu_ticks() { # CPU used so far by gunicorn's workers and the database's backends: DB
  local total=0 pid
  for pid in $(pgrep -P "$(cat "$GUNICORN_PID_FILE")") $(psql -h 127.0.0.1 -U postgres -qtAc \
    "SELECT pid FROM pg_stat_activity WHERE datname = '$1' AND pid <> pg_backend_pid()"); do
    [ -r "/proc/${pid}/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/${pid}/stat")))
  done
  echo "$total"
}

probe_http() { # DB: figures to stdout as "label<TAB>value"
  local key times out before errors
  for _ in $(seq $((WORKERS * 2))); do  # every worker renders once before anything is timed
    curl -s -o /dev/null -H "Cookie: sessionid=$(cat "$WORK/$1.sessions.warm-up")" "http://127.0.0.1:${APP_PORT}${PAGE}"
  done
  times=$(while read -r key; do
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H "Cookie: sessionid=${key}" \
      "http://127.0.0.1:${APP_PORT}${PAGE}"
  done < "$WORK/$1.sessions")
  if grep -qv '^200 ' <<<"$times"; then
    echo "  WARNING: some answers were not 200: $(grep -v '^200 ' <<<"$times" | cut -d' ' -f1 | sort | uniq -c | xargs)" >&2
  fi
  printf 'gunicorn, one at a time: p50 / p90 / max ms\t%s\n' "$(awk '{print $2 * 1000}' <<<"$times" | sort -n |
    awk '{v[NR] = $1} END {printf "%.0f / %.0f / %.0f", v[int((NR + 1) / 2)], v[int(NR * 0.9 + 0.5)], v[NR]}')"

  before=$(server_cpu_ticks "$1")
  out=$(SESSIONS_FILE="$WORK/$1.sessions" BENCH_PATH="$PAGE" wrk -t2 -c"$CONNECTIONS" -d"$DURATION" \
    --latency -s bench/rotate_sessions.lua "http://127.0.0.1:${APP_PORT}" 2>"$WORK/wrk-errors.txt")
  errors=$(grep -c status "$WORK/wrk-errors.txt" || true)
  printf 'wrk %s x %s: requests/s\t%s\n' "$CONNECTIONS" "$DURATION" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  printf 'wrk: p50 / p99\t%s / %s\n' "$(awk '$1=="50%" {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")"
  printf 'wrk: server CPU ms/request\t%s\n' "$(awk -v ticks=$(($(server_cpu_ticks "$1") - before)) \
    -v hz="$(getconf CLK_TCK)" -v requests="$(awk '/requests in/ {print $1}' <<<"$out")" \
    'BEGIN {printf "%.1f", ticks * 1000 / hz / requests}')"
  printf 'wrk: answers other than 200\t%s\n' "$errors"
}

for db in "${DBS[@]}"; do
  say "== $db =="
  SESSION_DBS+=("$db")
  {
    printf 'database size\t%s\n' "$(sql "$db" "SELECT pg_size_pretty(pg_database_size('$db'))")"
    probe_in_process "$db"
  } > "$WORK/$db.tsv"
  say "in-process renders done; gunicorn (${WORKERS} workers, cache disabled) on ${APP_PORT}"
  DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db" gunicorn_start "$APP_PORT" "$WORKERS"
  probe_http "$db" >> "$WORK/$db.tsv"
  gunicorn_stop
  printf 'load average after\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" >> "$WORK/$db.tsv"
done

echo
echo "$PAGE with the cache disabled ($(date -u +%FT%RZ), $(nproc) cores, $WORKERS gunicorn workers," \
  "code $(git log -1 --format=%h 2>/dev/null)$(git status --porcelain 2>/dev/null | grep -q . && echo ' with uncommitted changes'))"
{
  printf 'measure\t%s\n' "$(printf '%s\t' "${DBS[@]}" | sed 's/\t$//')"
  paste "$WORK/${DBS[0]}.tsv" $(for db in "${DBS[@]:1}"; do echo "$WORK/$db.tsv"; done) |
    awk -F'\t' '{line = $1; for (i = 2; i <= NF; i += 2) line = line "\t" $i; print line}'
} | column -t -s $'\t'
