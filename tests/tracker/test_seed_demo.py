import datetime
import io
from collections.abc import Callable
from itertools import pairwise
from statistics import mean
from types import SimpleNamespace

import numpy as np
import pytest
from django.core.management import call_command

from accounts.models import PRIVACY_VERSION, User
from tracker.demo import day_records
from tracker.management.commands import seed_demo
from tracker.management.commands.seed_demo import BENCH_PASSWORD, DEMO_EMAIL, DEMO_PASSWORD
from tracker.models import ACTIVITY_KINDS, DailyEntry

END = datetime.date(2026, 3, 1)
DAY = datetime.timedelta(days=1)


def run_seed_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def stored_days(user: User) -> list[tuple]:
    """Everything logged for the person, day by day, leaving out ids and timestamps."""
    fields = [f.name for f in DailyEntry._meta.concrete_fields]
    fields = [f for f in fields if f not in {"id", "user", "created_at", "updated_at"}]
    entries = DailyEntry.objects.for_user(user).order_by("day")
    return [
        (
            [getattr(entry, f) for f in fields],
            sorted(symptom.name for symptom in entry.symptoms.all()),
            sorted(barrier.slug for barrier in entry.intimacy_barriers.all()),
        )
        for entry in entries.prefetch_related("symptoms", "intimacy_barriers")
    ]


@pytest.fixture(scope="module")
def long_series() -> dict[datetime.date, dict]:
    """Ten years of one person's logged days, by day."""
    [records] = day_records(np.random.default_rng(3), END, 3650)
    return {record["day"]: record for record in records}


def next_day_mean(
    days: dict[datetime.date, dict], was: Callable[[dict], bool], field: str, lag: int = 1
) -> float:
    """The mean of `field`, `lag` days after each day for which `was` is true."""
    values = [
        later[field]
        for day, record in days.items()
        if was(record)
        and (later := days.get(day + lag * DAY)) is not None
        and later[field] is not None
    ]
    return mean(values)


def test_the_generator_gives_the_same_days_for_the_same_seed():
    first = day_records(np.random.default_rng(7), END, 120, people=2)
    assert day_records(np.random.default_rng(7), END, 120, people=2) == first
    assert day_records(np.random.default_rng(8), END, 120, people=2) != first


def test_the_generator_logs_most_days_with_gaps_ending_on_the_last_day():
    [records] = day_records(np.random.default_rng(1), END, 730)
    days = [record["day"] for record in records]
    assert 0.8 * 730 < len(days) < 0.95 * 730
    assert days[-1] == END
    assert days[0] >= END - 729 * DAY
    assert max(later - earlier for earlier, later in pairwise(days)) > 3 * DAY


def test_gentle_or_moderate_intimacy_is_followed_by_lower_stress(long_series):
    days = long_series
    calm = next_day_mean(days, lambda r: r["intensity"] in ("gentle", "moderate"), "stress")
    none = next_day_mean(days, lambda r: r["sexual_activity"] == "none", "stress")
    assert calm < none - 1


def test_vigorous_intimacy_is_followed_by_a_small_flare_rise_over_two_days(long_series):
    days = long_series
    for lag in (1, 2):
        vigorous = next_day_mean(
            days, lambda r: r["intensity"] == "vigorous", "flare_severity", lag
        )
        gentler = next_day_mean(
            days, lambda r: r["intensity"] in ("gentle", "moderate"), "flare_severity", lag
        )
        assert 0.3 < vigorous - gentler < 2


def test_flares_come_in_episodes_lasting_days(long_series):
    days = long_series
    pairs = [
        (record["flare_severity"], later["flare_severity"])
        for day, record in days.items()
        if (later := days.get(day + DAY))
        and None not in (record["flare_severity"], later["flare_severity"])
    ]
    assert np.corrcoef(np.array(pairs).T)[0, 1] > 0.6


@pytest.mark.django_db
def test_seed_demo_makes_the_demo_account_with_two_years_of_days():
    output = run_seed_demo()

    demo = User.objects.get(email=DEMO_EMAIL)
    assert demo.check_password(DEMO_PASSWORD)
    assert demo.time_zone == "Europe/London"
    assert demo.consent_version == PRIVACY_VERSION
    assert [c.slug for c in demo.conditions.all()] == ["rheumatoid-arthritis"]
    entries = DailyEntry.objects.for_user(demo)
    assert 0.8 * 730 < entries.count() < 0.95 * 730
    assert entries.first().day == demo.today()
    assert entries.last().day >= demo.today() - 729 * DAY
    assert entries.filter(symptoms__name="Joint pain").exists()
    assert entries.filter(intimacy_barriers__slug="pain").exists()
    assert entries.filter(stress__isnull=True).exists()
    assert entries.exclude(notes="").exists()
    for text in ("http://127.0.0.1:8000/", DEMO_EMAIL, DEMO_PASSWORD):
        assert text in output


@pytest.mark.django_db
def test_every_demo_day_keeps_the_models_rules():
    run_seed_demo()

    for entry in DailyEntry.objects.all():
        if entry.sexual_activity not in ACTIVITY_KINDS:
            assert entry.intensity is entry.satisfaction is entry.discomfort is None
        if entry.sleep_hours is not None:
            assert 0 <= entry.sleep_hours <= 24 and (entry.sleep_hours * 4) % 1 == 0
        for score, low, high in [
            (entry.satisfaction, 1, 5),
            (entry.libido, 1, 5),
            (entry.sleep_quality, 1, 5),
            (entry.discomfort, 0, 10),
            (entry.fatigue, 0, 10),
            (entry.stress, 0, 10),
            (entry.flare_severity, 0, 10),
        ]:
            assert score is None or low <= score <= high


@pytest.mark.django_db
def test_running_seed_demo_again_replaces_the_demo_account():
    run_seed_demo("--days", "100")
    first = stored_days(User.objects.get(email=DEMO_EMAIL))

    run_seed_demo("--days", "100")

    assert User.objects.filter(email=DEMO_EMAIL).count() == 1
    assert stored_days(User.objects.get(email=DEMO_EMAIL)) == first
    assert DailyEntry.objects.count() == len(first)


@pytest.mark.django_db
def test_users_option_makes_benchmark_people_with_the_days_asked_for():
    output = run_seed_demo("--users", "3", "--days", "30")

    bench = User.objects.filter(email__startswith="bench-").order_by("email")
    assert [person.email for person in bench] == [
        "bench-000001@hearth.example",
        "bench-000002@hearth.example",
        "bench-000003@hearth.example",
    ]
    assert bench[0].check_password(BENCH_PASSWORD)
    assert len({person.password for person in bench}) == 1
    for person in bench:
        days = DailyEntry.objects.for_user(person).values_list("day", flat=True)
        assert 15 < len(days) <= 30
        assert min(days) >= person.today() - 29 * DAY
    assert BENCH_PASSWORD in output

    run_seed_demo("--users", "2", "--days", "30")
    assert User.objects.filter(email__startswith="bench-").count() == 2


@pytest.mark.django_db
def test_bulk_create_stores_the_same_days_as_copy(monkeypatch):
    run_seed_demo("--days", "60")
    copied = stored_days(User.objects.get(email=DEMO_EMAIL))

    monkeypatch.setattr(seed_demo, "connection", SimpleNamespace(vendor="sqlite"))
    run_seed_demo("--days", "60")

    assert stored_days(User.objects.get(email=DEMO_EMAIL)) == copied
