"""Symptoms and barriers ticked on a day repeat the entry's person and day, so trends can count
them by (person, day); these copies never disagree with the entry."""

import datetime

import pytest
from django.db import connection

from portability.applying import apply_import
from portability.importing import check_import
from tests.factories import DailyEntryFactory, SymptomFactory
from tracker.models import DailyEntry, EntryIntimacyBarrier, EntrySymptom, IntimacyBarrier

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 20)


def links_of(entry: DailyEntry) -> set[tuple]:
    return {
        *EntrySymptom.objects.filter(dailyentry=entry).values_list("user_id", "day"),
        *EntryIntimacyBarrier.objects.filter(dailyentry=entry).values_list("user_id", "day"),
    }


def test_saving_a_day_stores_its_ticks_with_the_person_and_day(user):
    pain = IntimacyBarrier.objects.get(slug="pain")

    entry, _ = DailyEntry.objects.save_day(
        user, DAY, {"symptoms": [SymptomFactory(owner=user)], "intimacy_barriers": [pain]}
    )

    assert links_of(entry) == {(user.pk, DAY)}
    assert EntrySymptom.objects.filter(user=user, day=DAY).count() == 1
    assert EntryIntimacyBarrier.objects.filter(user=user, day=DAY, intimacybarrier=pain).exists()


def test_saving_a_day_again_keeps_its_person_and_day(user):
    first, created = DailyEntry.objects.save_day(user, DAY, {"stress": 3})

    again, created_again = DailyEntry.objects.save_day(user, DAY, {"stress": 7, "symptoms": []})

    assert (created, created_again) == (True, False)
    assert (again.pk, again.user_id, again.day) == (first.pk, user.pk, DAY)
    assert DailyEntry.objects.for_user(user).count() == 1


def test_a_tick_added_without_person_or_day_takes_them_from_its_entry(user):
    entry = DailyEntryFactory(user=user, day=DAY)

    entry.symptoms.add(SymptomFactory(owner=user))

    assert links_of(entry) == {(user.pk, DAY)}


def test_a_tick_cannot_claim_another_person_or_day(user, other_user):
    entry = DailyEntryFactory(user=user, day=DAY)

    entry.symptoms.add(
        SymptomFactory(owner=user),
        through_defaults={"user": other_user, "day": DAY - datetime.timedelta(days=3)},
    )

    assert links_of(entry) == {(user.pk, DAY)}


def test_ticks_follow_their_entry_if_its_day_ever_changes(user):
    entry = DailyEntryFactory(user=user, day=DAY)
    entry.symptoms.add(SymptomFactory(owner=user))
    entry.intimacy_barriers.add(IntimacyBarrier.objects.get(slug="pain"))

    DailyEntry.objects.filter(pk=entry.pk).update(day=DAY - datetime.timedelta(days=1))

    assert links_of(entry) == {(user.pk, DAY - datetime.timedelta(days=1))}


def test_imported_days_store_their_ticks_with_the_person_and_day(user):
    csv = "day,symptoms,intimacy_barriers\n2026-11-20,Fever,pain\n2026-11-21,Fever;Rash,\n"

    plan = check_import(user, "csv", csv)
    assert not plan.errors
    apply_import(user, plan, overwrite=False)

    assert set(EntrySymptom.objects.filter(user=user).values_list("day", flat=True)) == {
        DAY,
        DAY + datetime.timedelta(days=1),
    }
    assert EntrySymptom.objects.filter(user=user).count() == 3
    assert EntryIntimacyBarrier.objects.filter(user=user, day=DAY).count() == 1


def test_the_database_keeps_the_copies_equal_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("The triggers are PostgreSQL's; other databases rely on the writers.")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE 'tracker_%'"
        )
        triggers = {name for (name,) in cursor.fetchall()}
    assert triggers == {
        "tracker_dailyentry_symptoms_copy_entry",
        "tracker_dailyentry_intimacy_barriers_copy_entry",
        "tracker_dailyentry_moves_links",
    }
