"""What saving a day costs the database: one lock, one write, one mark of the person's records
as changed however many parts of the day change, and a fixed number of queries for the log
form and the API (the figures bench/trends.sh measures stand on these)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tokens import create_token
from tests.factories import DailyEntryFactory, SymptomFactory
from tracker.models import DailyEntry, EntrySymptom, IntimacyBarrier, StaleEntry

pytestmark = pytest.mark.django_db


def version_updates(queries: CaptureQueriesContext) -> int:
    return sum('UPDATE "accounts_user" SET "data_version"' in q["sql"] for q in queries)


@pytest.fixture
def yesterday(user) -> datetime.date:
    return user.today() - datetime.timedelta(days=1)


def test_a_day_saved_with_new_ticks_marks_the_records_changed_once(user, yesterday):
    DailyEntryFactory(user=user, day=yesterday, stress=2)
    symptom = SymptomFactory(owner=user)
    pain = IntimacyBarrier.objects.get(slug="pain")
    before = User.objects.get(pk=user.pk).data_version

    with CaptureQueriesContext(connection) as queries:
        DailyEntry.objects.save_day(
            user, yesterday, {"stress": 5, "symptoms": [symptom], "intimacy_barriers": [pain]}
        )

    assert version_updates(queries) == 1
    assert User.objects.get(pk=user.pk).data_version == before + 1
    entry = DailyEntry.objects.get(user=user, day=yesterday)
    assert (entry.stress, list(entry.symptoms.all()), list(entry.intimacy_barriers.all())) == (
        5,
        [symptom],
        [pain],
    )


def test_a_new_day_with_ticks_marks_the_records_changed_once(user, yesterday):
    before = User.objects.get(pk=user.pk).data_version

    with CaptureQueriesContext(connection) as queries:
        DailyEntry.objects.save_day(user, yesterday, {"symptoms": [SymptomFactory(owner=user)]})

    assert version_updates(queries) == 1
    assert User.objects.get(pk=user.pk).data_version == before + 1


def test_nothing_is_marked_when_the_save_fails(user, yesterday):
    DailyEntryFactory(user=user, day=yesterday, stress=2)
    before = User.objects.get(pk=user.pk).data_version

    with pytest.raises(StaleEntry):
        DailyEntry.objects.save_day(user, yesterday, {"stress": 5}, expected_version="seen-before")

    assert User.objects.get(pk=user.pk).data_version == before


def test_changing_only_the_ticks_marks_the_records_changed_once(user, yesterday):
    entry = DailyEntryFactory(user=user, day=yesterday, stress=2)
    symptom = SymptomFactory(owner=user)
    before = User.objects.get(pk=user.pk).data_version

    with CaptureQueriesContext(connection) as queries:
        DailyEntry.objects.save_day(user, yesterday, {"stress": 2, "symptoms": [symptom]})

    assert version_updates(queries) == 1
    assert User.objects.get(pk=user.pk).data_version == before + 1
    assert list(entry.symptoms.all()) == [symptom]


def test_saving_a_logged_day_through_the_form_costs_eleven_queries(
    signed_in, user, yesterday, django_assert_num_queries
):
    DailyEntryFactory(user=user, day=yesterday, stress=2)

    # Session and person; lock, update, both kinds of ticks read at once, mark; the message
    # kept in the session. The transaction's begin and end count as two here (savepoints).
    with django_assert_num_queries(11):
        response = signed_in.post(f"/log/{yesterday}/", {"stress": 5, "sleep_hours": 7})

    assert response.status_code == 302
    assert DailyEntry.objects.get(user=user, day=yesterday).stress == 5


def test_saving_a_logged_day_through_the_api_costs_eight_queries(
    user, yesterday, django_assert_num_queries
):
    DailyEntryFactory(user=user, day=yesterday, stress=2)
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {create_token(user, 'Script')[1]}")

    # Token and person in one, and its first use noted; lock, update, both kinds of ticks read
    # at once, mark. The answer needs no read of the ticks it just emptied, and no query asks
    # whether the day existed. The transaction's begin and end count as two here.
    with django_assert_num_queries(8):
        response = client.put(f"/api/v1/entries/{yesterday}/", {"stress": 5}, format="json")

    assert response.status_code == 200
    assert response.json()["stress"] == 5


def test_changing_the_ticks_keeps_the_links_that_stay(user, yesterday):
    kept, dropped, added = (SymptomFactory(owner=user) for _ in range(3))
    pain = IntimacyBarrier.objects.get(slug="pain")
    DailyEntry.objects.save_day(
        user, yesterday, {"symptoms": [kept, dropped], "intimacy_barriers": [pain]}
    )
    kept_link = EntrySymptom.objects.get(symptom=kept)

    entry, created = DailyEntry.objects.save_day(
        user, yesterday, {"symptoms": [kept, added, added], "intimacy_barriers": []}
    )

    assert created is False
    assert set(entry.symptoms.all()) == {kept, added}
    assert not entry.intimacy_barriers.exists()
    assert EntrySymptom.objects.get(symptom=kept).pk == kept_link.pk
    assert set(EntrySymptom.objects.values_list("user_id", "day")) == {(user.pk, yesterday)}
