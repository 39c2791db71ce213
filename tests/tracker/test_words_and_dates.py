"""Small things people read: a custom range said once, the report's title without a display
name, future days in the flare calendar, and Hearth's own 405 page."""

import datetime
import re

import pytest

from tests.factories import DailyEntryFactory, SymptomFactory
from tests.pages import page, words

pytestmark = pytest.mark.usefixtures("clock")


def test_a_custom_range_is_named_once(signed_in):
    text = words(signed_in.get("/trends/?start=2026-03-01&end=2026-04-15"))

    assert "1 Mar 2026 to 15 Apr 2026" in text
    assert "1 Mar 2026 to 15 Apr 2026: 1 Mar 2026" not in text


def test_a_named_range_still_says_its_name_and_dates(signed_in):
    assert "30 days: 27 Oct 2026 to 25 Nov 2026" in words(signed_in.get("/trends/?range=30d"))


def test_the_report_without_a_display_name_is_titled_your_report_not_the_email(signed_in, user):
    user.display_name = ""
    user.save(update_fields=["display_name"])

    text = words(signed_in.get("/report/"))

    assert "Your report" in text
    assert user.email not in text


def test_the_report_with_a_display_name_names_the_person(signed_in, user):
    user.display_name = "Ada"
    user.save(update_fields=["display_name"])

    assert "Health summary: Ada" in words(signed_in.get("/report/"))


def test_future_days_in_the_flare_calendar_are_drawn_as_not_yet(signed_in, user):
    DailyEntryFactory(user=user, day=datetime.date(2026, 11, 24), flare_severity=3)

    html = page(signed_in.get("/trends/"))

    assert "26 November: not yet" in html
    assert "31 December: not yet" in html
    assert "26 November: not logged" not in html
    assert "23 November: not logged" in html  # a past day without a log is still "not logged"
    assert "25 November: not yet" not in html  # today can still be logged
    future = re.findall(r'<td class="heat heat--future">', html)
    assert len(future) == 36  # 26 November to 31 December
    assert "Not yet" in words(signed_in.get("/trends/"))  # the legend explains the outline


def test_opening_a_remove_button_address_shows_hearths_405_page(signed_in, user):
    symptom = SymptomFactory(owner=user, name="Hives")

    response = signed_in.get(f"/symptoms/{symptom.pk}/delete/")

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "This can't be opened directly" in words(response)
    assert "Nothing has been changed" in words(response)


def test_every_405_gets_the_page_even_for_another_persons_id(signed_in, other_user):
    symptom = SymptomFactory(owner=other_user, name="Hives")

    response = signed_in.get(f"/symptoms/{symptom.pk}/delete/")

    assert response.status_code == 405
    assert "Hives" not in words(response)


def test_the_apis_405_keeps_its_json_error_shape(client, user):
    client.force_login(user)

    response = client.post("/api/v1/me/", {}, content_type="application/json")

    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == ["errors"]
