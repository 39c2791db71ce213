"""One real Celery worker against the local Redis runs the due-finder and sends a reminder: the
path production takes, end to end (the other tests run jobs eagerly). Skipped, saying why, when
Redis is not reachable."""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from celery import Celery
from django.db import connection
from django.utils import timezone

from reminders.models import Delivery
from tests.conftest import load_migration_data
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
# A Redis database of this test's own, so no other worker takes its jobs (the due-finder queues
# the sending jobs on the default queue, which here only this test's worker reads).
BROKER = os.environ.get("REMINDERS_TEST_BROKER_URL", "redis://127.0.0.1:6379/13")
QUEUE = "celery"
WAIT_SECONDS = 60


def redis_reachable() -> bool:
    try:
        return redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


pytestmark = pytest.mark.skipif(
    not redis_reachable(), reason=f"Redis is not reachable at {BROKER}: no real worker to run"
)


@pytest.fixture
def worker(transactional_db, tmp_path):
    """A worker process on this test's queue, using the test database, writing mail to files."""
    database = connection.settings_dict
    environment = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
        f"/{database['NAME']}",
        "CELERY_BROKER_URL": BROKER,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "DEBUG": "true",
    }
    redis.Redis.from_url(BROKER).delete(QUEUE)  # nothing left over from an earlier run
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "solo",
            "--queues",
            QUEUE,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "INFO",
        ],
        cwd=ROOT,
        env=environment,
        stdout=(tmp_path / "worker.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    yield tmp_path
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    redis.Redis.from_url(BROKER).delete(QUEUE)
    load_migration_data()


def test_a_real_worker_runs_the_due_finder_and_sends_the_reminder(worker):
    person = UserFactory(time_zone="UTC", reminder_time=datetime.time(20, 0))
    due = timezone.now() - datetime.timedelta(minutes=1)
    person.reminder_due_at = due  # as if the clock had just reached the reminder's time
    person.save(update_fields=["reminder_due_at"])
    producer = Celery(broker=BROKER)
    producer.send_task("reminders.tasks.run_due_jobs", queue=QUEUE)

    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline and not list(worker.glob("mail/*.log")):
        time.sleep(0.5)

    worker_log = (worker / "worker.log").read_text()
    assert Delivery.objects.filter(person=person, kind=Delivery.Kind.CHECK_IN).count() == 1, (
        worker_log
    )
    [message] = worker.glob("mail/*.log")
    assert "Subject: Your Hearth check-in" in message.read_text()
    assert "succeeded" in worker_log
