import datetime

import pytest

from config.celery import app as celery_app
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def jobs_run_at_once():
    """Jobs run eagerly, in this process, even where a broker is configured."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = eager


@pytest.fixture
def reminded(db):
    """Make a person with a check-in reminder at `at` ("20:30") in `zone`, scheduled from the
    clock as it is now."""

    def make(zone: str = "Europe/Berlin", at: str = "20:30", **fields):
        return UserFactory(time_zone=zone, reminder_time=datetime.time.fromisoformat(at), **fields)

    return make
