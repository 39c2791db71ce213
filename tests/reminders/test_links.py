"""The links in reminder emails: stop (one-click, RFC 8058) and "not today" work without signing
in, through a signed, expiring token for one person and one purpose; resume needs signing in."""

import datetime

import pytest
from django.core import signing

from reminders.models import Delivery
from reminders.tokens import Purpose, make_token, read_token
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("clock")  # Wednesday 25 November 2026, noon in London
TODAY = datetime.date(2026, 11, 25)


@pytest.fixture
def person(db):
    return UserFactory(reminder_time=datetime.time(20, 30), weekly_day=6)


@pytest.fixture
def stranger(db):
    return UserFactory(reminder_time=datetime.time(20, 30), weekly_day=6)


def stop_url(purpose: Purpose, token: str) -> str:
    return f"/reminders/stop/{purpose.value}/{token}/"


def test_a_token_names_its_person_and_day(person):
    assert read_token(make_token(person, Purpose.NOT_TODAY, TODAY), Purpose.NOT_TODAY) == (
        person,
        TODAY,
    )


def test_a_token_for_another_purpose_is_refused(person):
    token = make_token(person, Purpose.STOP_WEEKLY)
    assert read_token(token, Purpose.STOP_CHECK_IN) is None


def test_a_token_cannot_be_turned_to_another_person(person, stranger):
    token = make_token(person, Purpose.STOP_CHECK_IN)
    _, signature = token.split(":", 1)
    forged_payload = signing.dumps({"person": stranger.pk}, salt="x").split(":", 1)[0]
    assert read_token(f"{forged_payload}:{signature}", Purpose.STOP_CHECK_IN) is None
    # Signed with another key, it is refused too.
    assert (
        read_token(
            signing.dumps(
                {"person": stranger.pk}, key="guess", salt="hearth.reminders.stop-check-in"
            ),
            Purpose.STOP_CHECK_IN,
        )
        is None
    )


def test_an_expired_token_is_refused(person, freeze_time):
    token = make_token(person, Purpose.STOP_CHECK_IN)
    freeze_time("2027-01-23T12:00:00+00:00")  # 59 days on
    assert read_token(token, Purpose.STOP_CHECK_IN) is not None
    freeze_time("2027-01-25T12:00:00+00:00")  # 61 days on
    assert read_token(token, Purpose.STOP_CHECK_IN) is None


def test_the_stop_link_asks_before_stopping(client, person):
    token = make_token(person, Purpose.STOP_CHECK_IN)
    response = client.get(stop_url(Purpose.STOP_CHECK_IN, token))
    assert response.status_code == 200
    assert b"Stop reminders" in response.content
    person.refresh_from_db()
    assert person.reminder_time is not None


def test_one_click_unsubscribe_stops_reminders_without_signing_in(client, person, stranger):
    token = make_token(person, Purpose.STOP_CHECK_IN)
    response = client.post(
        stop_url(Purpose.STOP_CHECK_IN, token),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    person.refresh_from_db()
    stranger.refresh_from_db()
    assert person.reminder_time is None
    assert person.reminder_due_at is None
    assert person.weekly_day == 6  # the weekly look back is another list
    assert stranger.reminder_due_at is not None  # nobody else is touched


def test_the_weekly_stop_link_stops_only_the_weekly_look_back(client, person):
    client.post(stop_url(Purpose.STOP_WEEKLY, make_token(person, Purpose.STOP_WEEKLY)))
    person.refresh_from_db()
    assert person.weekly_day is None
    assert person.weekly_due_at is None
    assert person.reminder_due_at is not None


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_or_mismatched_stop_link_changes_nothing(client, person, method):
    weekly_token = make_token(person, Purpose.STOP_WEEKLY)
    for url in (
        stop_url(Purpose.STOP_CHECK_IN, "not-a-token"),
        stop_url(Purpose.STOP_CHECK_IN, weekly_token),  # a token for the other list
        stop_url(Purpose.STOP_CHECK_IN, make_token(person, Purpose.STOP_CHECK_IN) + "x"),
    ):
        response = getattr(client, method)(url)
        assert response.status_code == 400
        assert b"work any more" in response.content
    assert client.get(f"/reminders/stop/not-today/{weekly_token}/").status_code == 404
    person.refresh_from_db()
    assert person.reminder_time is not None
    assert person.weekly_day == 6


def test_not_today_marks_the_day_skipped_and_counts_as_an_answer(client, person, stranger):
    delivery = Delivery.objects.create(person=person, kind=Delivery.Kind.CHECK_IN, local_date=TODAY)
    other = Delivery.objects.create(person=stranger, kind=Delivery.Kind.CHECK_IN, local_date=TODAY)
    person.reminders_unanswered = 5
    person.save(update_fields=["reminders_unanswered"])
    url = f"/reminders/not-today/{make_token(person, Purpose.NOT_TODAY, TODAY)}/"

    assert client.get(url).status_code == 200
    delivery.refresh_from_db()
    assert delivery.skipped_at is None  # opening the link (a mail scanner may) does nothing

    assert client.post(url).status_code == 200
    delivery.refresh_from_db()
    other.refresh_from_db()
    person.refresh_from_db()
    assert delivery.skipped_at is not None
    assert other.skipped_at is None
    assert person.reminders_unanswered == 0


def test_a_stop_token_does_not_work_as_not_today(client, person):
    token = make_token(person, Purpose.STOP_CHECK_IN)
    assert client.post(f"/reminders/not-today/{token}/").status_code == 400


def test_resume_needs_signing_in_and_resumes_only_the_signed_in_person(client, person, stranger):
    for someone in (person, stranger):
        someone.reminders_paused = True
        someone.save(update_fields=["reminders_paused"])
    response = client.post("/reminders/resume/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]

    client.force_login(person)
    assert client.get("/reminders/resume/").status_code == 200
    client.post("/reminders/resume/")
    person.refresh_from_db()
    stranger.refresh_from_db()
    assert not person.reminders_paused
    assert person.reminder_due_at is not None
    assert stranger.reminders_paused
