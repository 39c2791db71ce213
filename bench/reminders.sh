#!/usr/bin/env bash
# Benchmark the reminders' due-finder (reminders/sending.py) with 100,000 people who have
# reminders, spread over every time zone, among as many who have none.
#
#   bench/reminders.sh            # builds the data set (a minute or two) unless it exists
#   REBUILD=1 bench/reminders.sh  # drop and rebuild the benchmark database first
#
# Prints, for the busiest minute of the coming day and for an hour's backlog (workers were down),
# how many people are due, the database time of the query that finds them (EXPLAIN ANALYZE's
# execution time, and the median round trip from Django), its plan (an index scan on the partial
# index user_reminder_due, never a scan of people), and the time to find and enqueue them all, a job
# per chunk of people, on a throwaway Redis that no worker reads (nothing is sent).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
trap cleanup EXIT

DB_NAME=${BENCH_DB:-hearth_bench_reminders}
PEOPLE=${PEOPLE:-100000}
REDIS_PORT=${REDIS_PORT:-6391}
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/${DB_NAME}" DJANGO_SETTINGS_MODULE=config.settings
export PEOPLE

bin/setup 2>"$WORK/setup.log" || { cat "$WORK/setup.log" >&2; exit 1; }
if [ -n "${REBUILD:-}" ]; then dropdb -h 127.0.0.1 -U postgres --if-exists "$DB_NAME"; fi
NEW_DATABASE=""
if ! psql -h 127.0.0.1 -U postgres -lqt | cut -d'|' -f1 | grep -qw "$DB_NAME"; then
  createdb -h 127.0.0.1 -U postgres "$DB_NAME"
  NEW_DATABASE=1
fi
$PY manage.py migrate --verbosity 0

if [ -n "$NEW_DATABASE" ]; then
  say "Making ${PEOPLE} people with reminders over every time zone, and ${PEOPLE} without..."
  $PY - <<'PYTHON'
import datetime
import os
import random

import django

django.setup()
from django.utils import timezone

from accounts.models import User, time_zone_names

rng = random.Random(18)
zones = time_zone_names()
people = int(os.environ["PEOPLE"])
now = timezone.now()
batch = []
for n in range(2 * people):
    person = User(email=f"reminded{n}@bench.example", password="!", time_zone=zones[n % len(zones)])
    if n < people:
        # Most people pick a round evening time; the rest any minute of the day.
        if rng.random() < 0.6:
            person.reminder_time = datetime.time(rng.choice([19, 20, 21, 22]), rng.choice([0, 30]))
        else:
            person.reminder_time = datetime.time(rng.randrange(24), rng.randrange(60))
        person.reminder_days = rng.choice([0b1111111, 0b1111111, 0b0011111, rng.randrange(1, 128)])
        if rng.random() < 0.2:
            person.weekly_day, person.weekly_hour = rng.randrange(7), rng.choice([9, 18, 20])
        person.schedule_reminders(now)  # what save() does; bulk_create skips save()
    batch.append(person)
    if len(batch) == 5000:
        User.objects.bulk_create(batch)
        batch = []
User.objects.bulk_create(batch)
PYTHON
fi
psql -h 127.0.0.1 -U postgres -d "$DB_NAME" -qc "VACUUM ANALYZE accounts_user"
psql -h 127.0.0.1 -U postgres -d "$DB_NAME" -qtAc "SELECT 'people: ' || count(*) || ', with a reminder due: ' || count(reminder_due_at) || ', with a weekly look back: ' || count(weekly_due_at) FROM accounts_user"

redis_start "$REDIS_PORT"
export CELERY_BROKER_URL="redis://127.0.0.1:${REDIS_PORT}/0"
$PY - <<'PYTHON'
import datetime
import statistics
import time

import django

django.setup()
import redis
from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncMinute
from django.utils import timezone

from accounts.models import User
from reminders import sending, tasks

broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)


def measure(label: str, now: datetime.datetime) -> None:
    rounds = []
    for _ in range(7):
        started = time.perf_counter()
        due = sending.due_for_check_in(now)
        rounds.append(time.perf_counter() - started)
    finder = (
        User.objects.filter(reminder_due_at__lte=now)
        .order_by("reminder_due_at")
        .values_list("pk", flat=True)[: sending.BATCH]
    )
    plan = finder.explain(analyze=True, buffers=True)
    execution = next(line for line in plan.splitlines() if "Execution Time" in line)
    broker.flushdb()
    started = time.perf_counter()
    queued = tasks.queue_due_jobs(now)  # what beat's job does each minute, jobs onto Redis
    enqueue_seconds = time.perf_counter() - started
    waiting = broker.llen("celery")
    broker.flushdb()
    print(f"\n== {label}: {len(due)} check-ins due at {now:%Y-%m-%d %H:%M} UTC")
    print(f"   due-finder query: {execution.strip().lower()} (EXPLAIN ANALYZE)")
    print(f"   due-finder round trip from Django: {statistics.median(rounds) * 1000:.2f} ms (median of 7)")
    print(f"   find and enqueue (check-ins and weekly): {queued} people in {enqueue_seconds * 1000:.0f} ms, as {waiting} jobs of up to {tasks.PEOPLE_PER_JOB} people waiting on Redis")
    print("   plan:")
    for line in plan.splitlines():
        print("     " + line)


start = timezone.now().replace(second=0, microsecond=0)
busiest = (
    User.objects.filter(reminder_due_at__gt=start, reminder_due_at__lte=start + datetime.timedelta(days=1))
    .annotate(minute=TruncMinute("reminder_due_at"))
    .values("minute")
    .annotate(people=Count("pk"))
    .order_by("-people")
    .first()
)
# Beat looks each minute, so what it finds is the people due in the minute since its last look:
# those due earlier are moved a day on, as their jobs would have done.
minute = busiest["minute"]
later = minute + datetime.timedelta(days=1)
User.objects.filter(reminder_due_at__lt=minute).update(reminder_due_at=later)
User.objects.filter(weekly_due_at__lt=minute).update(weekly_due_at=later)
measure("The busiest minute of the coming day", minute)
measure("An hour's backlog (workers down for an hour)", minute + datetime.timedelta(hours=1))
PYTHON
