"""Optimistic concurrency in the API: ETag on every day, If-Match on writes, 412 when stale."""

import datetime

import pytest

from tests.factories import DailyEntryFactory
from tracker.models import DailyEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(user) -> datetime.date:
    return user.today() - datetime.timedelta(days=1)


@pytest.fixture
def api(bearer, user):
    return bearer(user)


def url(day: datetime.date) -> str:
    return f"/api/v1/entries/{day}/"


def test_reading_a_day_gives_its_etag(api, user, day):
    entry = DailyEntryFactory(user=user, day=day)

    response = api.get(url(day))

    assert response["ETag"] == f'"{entry.version}"'


def test_every_save_answers_the_new_etag(api, user, day):
    created = api.put(url(day), {"stress": 3}, format="json")
    changed = api.patch(url(day), {"stress": 4}, format="json")

    assert created["ETag"] != changed["ETag"]
    assert changed["ETag"] == f'"{DailyEntry.objects.get(user=user, day=day).version}"'


def test_a_write_with_the_current_etag_goes_ahead(api, user, day):
    DailyEntryFactory(user=user, day=day, stress=3)
    etag = api.get(url(day))["ETag"]

    response = api.patch(url(day), {"stress": 7}, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 200
    assert DailyEntry.objects.get(user=user, day=day).stress == 7


@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_write_with_a_stale_etag_answers_412_and_changes_nothing(api, user, day, method):
    DailyEntryFactory(user=user, day=day, stress=3)
    stale = api.get(url(day))["ETag"]
    api.patch(url(day), {"stress": 5}, format="json")

    response = getattr(api, method)(url(day), {"stress": 9}, format="json", HTTP_IF_MATCH=stale)

    assert response.status_code == 412
    assert "changed since you read it" in response.json()["errors"]["detail"][0]
    assert DailyEntry.objects.get(user=user, day=day).stress == 5


def test_a_delete_with_a_stale_etag_answers_412_and_keeps_the_day(api, user, day):
    DailyEntryFactory(user=user, day=day, stress=3)
    stale = api.get(url(day))["ETag"]
    api.patch(url(day), {"stress": 5}, format="json")

    response = api.delete(url(day), HTTP_IF_MATCH=stale)

    assert response.status_code == 412
    assert DailyEntry.objects.filter(user=user, day=day).exists()
    fresh = api.get(url(day))["ETag"]
    assert api.delete(url(day), HTTP_IF_MATCH=fresh).status_code == 204


def test_if_match_star_needs_the_day_to_exist(api, user, day):
    refused = api.put(url(day), {"stress": 2}, format="json", HTTP_IF_MATCH="*")
    assert refused.status_code == 412
    assert not DailyEntry.objects.filter(user=user, day=day).exists()

    DailyEntryFactory(user=user, day=day)
    assert api.put(url(day), {"stress": 2}, format="json", HTTP_IF_MATCH="*").status_code == 200


def test_writes_without_if_match_stay_unconditional(api, user, day):
    DailyEntryFactory(user=user, day=day, stress=3)
    api.patch(url(day), {"stress": 5}, format="json")

    assert api.patch(url(day), {"stress": 6}, format="json").status_code == 200


def test_another_persons_etag_never_unlocks_my_day(api, bearer, user, other_user, day):
    DailyEntryFactory(user=user, day=day, stress=3)
    theirs = DailyEntryFactory(user=other_user, day=day, stress=8)

    response = api.patch(
        url(day), {"stress": 1}, format="json", HTTP_IF_MATCH=f'"{theirs.version}"'
    )

    assert response.status_code == 412
    assert bearer(other_user).get(url(day))["ETag"] == f'"{theirs.version}"'


def test_the_schema_documents_etag_if_match_and_412(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    day_path = schema["paths"]["/api/v1/entries/{day}/"]

    for method in ("put", "patch", "delete"):
        operation = day_path[method]
        assert "412" in operation["responses"]
        assert "If-Match" in {parameter["name"] for parameter in operation["parameters"]}
    assert "ETag" in day_path["get"]["responses"]["200"]["headers"]
