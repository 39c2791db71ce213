# Shared helpers for bench/load.sh, bench/faults.sh and bench/replica.sh (sourced, not run).
#
# Everything runs on throwaway services in one temporary folder: a PostgreSQL cluster made with
# initdb on its own port, a Redis on its own port, and gunicorn. The machine's shared PostgreSQL
# (5432) and Redis (6379) are never touched. `cleanup` (run on exit) stops all of them and
# removes the folder.

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
PY=.venv/bin/python
BENCH_PY=bench/.venv/bin/python
WORK=$(mktemp -d /tmp/hearth-bench.XXXXXX)
chmod 755 "$WORK"
STARTED_CLUSTERS=()
STARTED_REDIS=()
GUNICORN_PID_FILE="$WORK/gunicorn.pid"

export DEBUG=false SECRET_KEY=benchmark-only ALLOWED_HOSTS=127.0.0.1 LOG_LEVEL=WARNING
export SECURE_SSL_REDIRECT=false STATICFILES_STORAGE=whitenoise.storage.CompressedManifestStaticFilesStorage
export NOTES_ENCRYPTION_KEYS=aGVhcnRoLWJlbmNobWFyay1vbmx5LW5vdGVzLWtleSE=
# Production refuses the console mail backend (mail would land in the log); nothing here reads
# mail. It also wants a cache shared by every worker unless told there is one process: the
# management commands are, and load.sh's CACHE=local measures each worker's own memory on purpose.
export EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend SINGLE_PROCESS=true
# The simulated people save far more often than a person would, and all sign in from 127.0.0.1:
# the API's limit and the sign-in limit per address are not what is measured.
export API_USER_RATE=1000000/hour API_ANON_RATE=1000000/hour SIGN_IN_RATE_PER_ADDRESS=1000000/m/ip

say() { printf '[%6.1fs] %s\n' "$(( $(date +%s%N) / 1000000 - BENCH_T0 ))e-3" "$*"; }
BENCH_T0=$(( $(date +%s%N) / 1000000 ))

# initdb refuses to run as root: run PostgreSQL's tools as the postgres user when we are root.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_new() { # DIR PORT [extra postgresql.conf lines...]: a fresh cluster, started
  local dir=$1 port=$2
  shift 2
  mkdir -p "$dir" "$WORK/sockets"
  [ "$(id -u)" = 0 ] && chown postgres "$dir" "$WORK/sockets"
  as_pg "$PG_BIN/initdb" -D "$dir" -U postgres --auth=trust --no-sync -E UTF8 >/dev/null
  {
    echo "port = $port"
    echo "listen_addresses = '127.0.0.1'"
    echo "unix_socket_directories = '$WORK/sockets'"
    for line in "$@"; do echo "$line"; done
  } >> "$dir/postgresql.conf"
  pg_start "$dir"
}

pg_start() { # DIR
  STARTED_CLUSTERS+=("$1")
  as_pg "$PG_BIN/pg_ctl" -D "$1" -l "$1/server.log" -w -t 60 start >/dev/null
}

pg_stop() { # DIR [mode]
  as_pg "$PG_BIN/pg_ctl" -D "$1" -m "${2:-fast}" -w -t 60 stop >/dev/null 2>&1 || true
}

redis_start() { # PORT
  STARTED_REDIS+=("$1")
  redis-server --port "$1" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --dir "$WORK" --pidfile "$WORK/redis-$1.pid" --logfile "$WORK/redis-$1.log"
  # Up to 30 s, as for the other services: a busy machine can take far longer than usual.
  for _ in $(seq 300); do redis-cli -p "$1" ping >/dev/null 2>&1 && return; sleep 0.1; done
  echo "redis did not start on $1 within 30 s" >&2; return 1
}

redis_stop() { # PORT
  local pid
  pid=$(cat "$WORK/redis-$1.pid" 2>/dev/null) || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
}

gunicorn_start() { # PORT WORKERS
  .venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$1" --workers "$2" --timeout 30 \
    --graceful-timeout 5 --log-level warning --error-logfile "$WORK/gunicorn.log" --capture-output \
    --no-control-socket --pid "$GUNICORN_PID_FILE" --daemon
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$1/healthz" >/dev/null && return; sleep 0.2; done
  echo "gunicorn did not start; see $WORK/gunicorn.log" >&2; return 1
}

gunicorn_stop() {
  local pid
  pid=$(cat "$GUNICORN_PID_FILE" 2>/dev/null) || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

gunicorn_workers() { pgrep -P "$(cat "$GUNICORN_PID_FILE")" | sort -n | tr '\n' ' '; }

cleanup() {
  gunicorn_stop
  local port dir
  for port in "${STARTED_REDIS[@]}"; do redis_stop "$port"; done
  for dir in "${STARTED_CLUSTERS[@]}"; do pg_stop "$dir" immediate; done
  if [ -n "${KEEP_BENCH_FILES:-}" ]; then echo "files kept in $WORK"; else rm -rf "$WORK"; fi
}

bench_setup() { # the app's and locust's virtual environments, static files
  bin/setup 2>"$WORK/setup.log" || { cat "$WORK/setup.log" >&2; return 1; }
  if [ ! -x "$BENCH_PY" ]; then
    python3.11 -m venv bench/.venv 2>/dev/null || python3 -m venv bench/.venv
  fi
  grep -qx "locust==$("$BENCH_PY" -c 'import locust; print(locust.__version__)' 2>/dev/null)" \
    bench/requirements.txt ||
  "$BENCH_PY" -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt \
    > "$WORK/pip.log" 2>&1 || { cat "$WORK/pip.log" >&2; return 1; }
  $PY manage.py collectstatic --noinput --verbosity 0
}

prepare_database() { # URL PEOPLE: migrate and seed people who can sign in, with API tokens
  DATABASE_URL=$1 $PY manage.py migrate --verbosity 0
  DATABASE_URL=$1 $PY bench/seed_people.py "$2" > "$WORK/people.jsonl"
}

run_locust() { # HOST USERS SECONDS [locust args, e.g. the user class]: saves go to $WORK/acks
  local host=$1 users=$2 seconds=$3
  shift 3
  mkdir -p "$WORK/acks"
  PEOPLE_FILE="$WORK/people.jsonl" ACKS_DIR="$WORK/acks" bench/.venv/bin/locust \
    -f bench/locustfile.py --headless --host "$host" --users "$users" --spawn-rate 2 \
    --run-time "${seconds}s" --stop-timeout 10 --csv "$WORK/locust" --only-summary \
    --loglevel WARNING "${@:-Person}" > "$WORK/locust.out" 2>&1 || true
}
