"""Replace the demo account, and optionally the benchmark people, with synthetic daily logs.

The data comes from tracker/demo.py; docs/demo-data.md describes what it plants.
"""

import datetime
import io
import time

import numpy as np
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import PRIVACY_VERSION, Condition, User
from tracker.demo import day_records
from tracker.measures import MEASURES
from tracker.models import DailyEntry, IntimacyBarrier, Symptom

DEMO_EMAIL = "demo@hearth.example"
DEMO_PASSWORD = "hearth-demo-2026"
DEMO_CONDITIONS = ["rheumatoid-arthritis"]
BENCH_EMAIL = "bench-{:06d}@hearth.example"
BENCH_PASSWORD = "hearth-bench-2026"
TIME_ZONE = "Europe/London"
PEOPLE_PER_BATCH = 100
ROWS_PER_INSERT = 5000
# DailyEntry's own values in a day record (the rest are the id, owner and timestamps).
COPY_FIELDS = [
    "day",
    "sexual_activity",
    "intensity",
    "satisfaction",
    "discomfort",
    "physical_affection",
    *MEASURES,
    "notes",
]
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def delete_people(people: models.QuerySet) -> None:
    """Delete people and everything they logged, quickly.

    Their entries go in one statement, skipping DailyEntry's post_delete signal: it would bump
    the owner's data_version with one UPDATE per entry, and the owner is going too.
    """
    entries = DailyEntry.objects.filter(user__in=people)
    DailyEntry.symptoms.through.objects.filter(dailyentry__in=entries).delete()
    DailyEntry.intimacy_barriers.through.objects.filter(dailyentry__in=entries).delete()
    entries._raw_delete(entries.db)
    people.delete()


def insert_days(people: list[tuple[int, list[dict]]]) -> int:
    """Store each (user id, day records) pair's entries with their symptoms and barriers.

    PostgreSQL gets the rows through COPY, many times faster than INSERT; other databases
    through bulk_create. Returns how many entries were stored.
    """
    symptom_ids = dict(Symptom.objects.filter(owner=None).values_list("name", "id"))
    barrier_ids = dict(IntimacyBarrier.objects.values_list("slug", "id"))
    if connection.vendor == "postgresql":
        return _copy_days(people, symptom_ids, barrier_ids)
    return _bulk_create_days(people, symptom_ids, barrier_ids)


def _bulk_create_days(people: list, symptom_ids: dict, barrier_ids: dict) -> int:
    # bulk_create fills in the new entries' ids (PostgreSQL and SQLite 3.35+ return them),
    # which the symptom and barrier rows then point at.
    entries, symptoms, barriers = [], [], []
    for user_id, records in people:
        for record in records:
            values = dict(record)
            symptoms.append(values.pop("symptoms"))
            barriers.append(values.pop("intimacy_barriers"))
            entries.append(DailyEntry(user_id=user_id, **values))
    DailyEntry.objects.bulk_create(entries, batch_size=ROWS_PER_INSERT)

    SymptomRow = DailyEntry.symptoms.through
    SymptomRow.objects.bulk_create(
        (
            SymptomRow(
                dailyentry_id=entry.pk, **entry.link_defaults(), symptom_id=symptom_ids[name]
            )
            for entry, names in zip(entries, symptoms, strict=True)
            for name in names
        ),
        batch_size=ROWS_PER_INSERT,
    )
    BarrierRow = DailyEntry.intimacy_barriers.through
    BarrierRow.objects.bulk_create(
        (
            BarrierRow(
                dailyentry_id=entry.pk,
                **entry.link_defaults(),
                intimacybarrier_id=barrier_ids[slug],
            )
            for entry, slugs in zip(entries, barriers, strict=True)
            for slug in slugs
        ),
        batch_size=ROWS_PER_INSERT,
    )
    return len(entries)


def _copy_days(people: list, symptom_ids: dict, barrier_ids: dict) -> int:
    # COPY returns no ids, so take them from the entries' id sequence first.
    count = sum(len(records) for _, records in people)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [DailyEntry._meta.db_table, count],
        )
        ids = (entry_id for (entry_id,) in cursor.fetchall())
    now = timezone.now()
    # COPY bypasses the model's fields, so encrypt the notes here as saving an entry would.
    notes = DailyEntry._meta.get_field("notes")
    entries, symptoms, barriers = [], [], []
    for user_id, records in people:
        for record in records:
            entry_id = next(ids)
            values = {**record, "notes": notes.get_prep_value(record["notes"])}
            entries.append([entry_id, user_id, *(values[f] for f in COPY_FIELDS), now, now])
            link = (entry_id, user_id, record["day"])
            symptoms.extend((*link, symptom_ids[name]) for name in record["symptoms"])
            barriers.extend((*link, barrier_ids[slug]) for slug in record["intimacy_barriers"])
    _copy(DailyEntry, ["id", "user_id", *COPY_FIELDS, "created_at", "updated_at"], entries)
    link_columns = ["dailyentry_id", "user_id", "day"]
    _copy(DailyEntry.symptoms.through, [*link_columns, "symptom_id"], symptoms)
    _copy(DailyEntry.intimacy_barriers.through, [*link_columns, "intimacybarrier_id"], barriers)
    return count


def _copy(model: type[models.Model], columns: list[str], rows: list) -> None:
    """COPY rows into the model's table, in PostgreSQL's text format."""
    text = io.StringIO()
    for row in rows:
        text.write("\t".join(map(_copy_value, row)) + "\n")
    text.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN", text)


def _copy_value(value: object) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, str):
        return value.translate(COPY_ESCAPES)
    return str(value)


def refresh_planner_statistics() -> None:
    """After a bulk load PostgreSQL has no statistics for the new rows until autovacuum runs,
    and without them it plans whole-table scans for one person's days."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (
                DailyEntry,
                DailyEntry.symptoms.through,
                DailyEntry.intimacy_barriers.through,
            ):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


class Command(BaseCommand):
    help = (
        f"Replace the demo account ({DEMO_EMAIL}, password {DEMO_PASSWORD}) with synthetic "
        "daily logs ending today. With --users N, also replace all benchmark people "
        f"({BENCH_EMAIL.format(1)} and on, one shared password) with N new ones; the demo "
        "account is always made too. The same --seed gives the same data."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--seed", type=int, default=42, help="Random seed (default 42); same seed, same data."
        )
        parser.add_argument(
            "--days",
            type=int,
            default=730,
            help="Days of history for every person, ending today (default 730, two years).",
        )
        parser.add_argument(
            "--users",
            type=int,
            default=0,
            help="How many benchmark people to make besides the demo account (default 0).",
        )

    def handle(self, *args, seed: int, days: int, users: int, **options) -> None:
        if days < 1 or users < 0:
            raise CommandError("--days must be at least 1 and --users at least 0.")
        started = time.monotonic()
        demo, logged = self.seed_demo_account(np.random.default_rng(seed), days)
        self.stdout.write(f"Demo account: {logged:,} of {days:,} days logged.")
        if users:
            # A random stream of their own, so the demo account is the same with or without them.
            bench_rng = np.random.default_rng([seed, 1])
            self.seed_bench_people(bench_rng, users, days, demo.today())
            refresh_planner_statistics()
        self.stdout.write(
            f"Done in {time.monotonic() - started:.1f} s.\n\n"
            "Run the site (python manage.py runserver), open http://127.0.0.1:8000/ and sign in:\n"
            f"  email:    {DEMO_EMAIL}\n"
            f"  password: {DEMO_PASSWORD}"
        )

    @transaction.atomic
    def seed_demo_account(self, rng: np.random.Generator, days: int) -> tuple[User, int]:
        delete_people(User.objects.filter(email=DEMO_EMAIL))
        demo = User(email=DEMO_EMAIL, display_name="Demo", time_zone=TIME_ZONE)
        demo.set_password(DEMO_PASSWORD)
        demo.record_consent()
        demo.save()
        demo.conditions.set(Condition.objects.filter(slug__in=DEMO_CONDITIONS))
        EmailAddress.objects.create(user=demo, email=DEMO_EMAIL, verified=True, primary=True)
        [records] = day_records(rng, demo.today(), days)
        return demo, insert_days([(demo.pk, records)])

    def seed_bench_people(
        self, rng: np.random.Generator, users: int, days: int, end: datetime.date
    ) -> None:
        started = time.monotonic()
        delete_people(
            User.objects.filter(email__startswith="bench-", email__endswith="@hearth.example")
        )

        password = make_password(BENCH_PASSWORD)  # hashing is slow on purpose: do it once
        conditions = list(Condition.objects.exclude(slug="other").values_list("pk", flat=True))
        ConditionRow = User.conditions.through
        stored = 0
        for first in range(0, users, PEOPLE_PER_BATCH):
            count = min(PEOPLE_PER_BATCH, users - first)
            with transaction.atomic():
                people = User.objects.bulk_create(
                    User(
                        email=BENCH_EMAIL.format(first + n + 1),
                        password=password,
                        time_zone=TIME_ZONE,
                        consent_given_at=timezone.now(),
                        consent_version=PRIVACY_VERSION,
                    )
                    for n in range(count)
                )
                # Confirmed, so they can sign in where email verification is mandatory.
                EmailAddress.objects.bulk_create(
                    EmailAddress(user=person, email=person.email, verified=True, primary=True)
                    for person in people
                )
                ConditionRow.objects.bulk_create(
                    ConditionRow(user_id=person.pk, condition_id=int(rng.choice(conditions)))
                    for person in people
                )
                records = day_records(rng, end, days, people=count)
                stored += insert_days(
                    [(person.pk, days_of) for person, days_of in zip(people, records, strict=True)]
                )
            self.stdout.write(
                f"{first + count:,}/{users:,} benchmark people, {stored:,} days stored, "
                f"{time.monotonic() - started:.0f} s"
            )
        self.stdout.write(
            f"Benchmark people: {users:,} ({BENCH_EMAIL.format(1)} to "
            f"{BENCH_EMAIL.format(users)}, password {BENCH_PASSWORD}), {stored:,} days logged, "
            f"in {time.monotonic() - started:.1f} s."
        )
