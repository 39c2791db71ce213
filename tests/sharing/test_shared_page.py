"""/s/<secret>/: the page a share link opens without an account, showing only what the person
chose, from the link's period alone, and answering like a page that never existed once the
link is revoked or expired."""

import datetime
import itertools
import logging
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sharing.models import SECTIONS, ShareLink
from tests.conftest import TODAY
from tests.factories import DailyEntryFactory
from tests.pages import page, trend_data, words
from tests.sharing.conftest import (
    FLARE_NOTE,
    INTIMACY_WORDS,
    MEDICATION,
    OTHER_PERSONS_NOTE,
    OUTSIDE_NOTE,
    OWN_SYMPTOM,
    make_link,
    shared_url,
)

pytestmark = pytest.mark.usefixtures("clock")

# What marks each section on the page: its heading's id.
SECTION_MARKS = {
    "show_summary": ['id="report-summary"'],
    "show_charts": ['id="report-charts"', 'id="trend-data"'],
    "show_flares": ['id="report-episodes"', 'id="shared-calendar"'],
    "show_symptoms": ['id="report-symptoms"'],
    "show_medications": ['id="report-medications"'],
    "show_insights": ['id="shared-insights"'],
    "show_notes": ['id="report-notes"'],
    "show_intimacy": ['id="report-intimacy"'],
}
ALL_OFF = dict.fromkeys(SECTIONS, False)


def every_choice() -> list[dict[str, bool]]:
    """Every combination of sections a link can show (at least one)."""
    return [
        dict(zip(SECTIONS, ticks, strict=True))
        for ticks in itertools.product([False, True], repeat=len(SECTIONS))
        if any(ticks)
    ]


def test_every_combination_of_sections_shows_exactly_those_and_nothing_private_unless_chosen(
    client, records
):
    problems = []
    for choice in every_choice():
        _, secret = make_link(records, **choice)
        response = client.get(shared_url(secret))
        html, text = page(response), words(response).lower()
        chosen = [name for name, ticked in choice.items() if ticked]
        for name, marks in SECTION_MARKS.items():
            for mark in marks:
                if (mark in html) != choice[name]:
                    problems.append(f"{chosen}: {mark} {'missing' if choice[name] else 'shown'}")
        if (FLARE_NOTE in html) != choice["show_notes"]:
            problems.append(
                f"{chosen}: the planted note {'missing' if choice['show_notes'] else 'shown'}"
            )
        if not choice["show_intimacy"]:
            leaked = [word for word in INTIMACY_WORDS if word.lower() in text]
            if leaked:
                problems.append(f"{chosen}: intimacy shown ({', '.join(leaked)})")
        for never in (OUTSIDE_NOTE, OTHER_PERSONS_NOTE):
            if never in html:
                problems.append(f"{chosen}: {never!r} shown")

    assert problems == []


def test_the_page_names_the_person_the_period_the_expiry_and_carries_the_notice(client, user):
    user.display_name = "Ada"
    user.save()
    _, secret = make_link(user, expires_in=datetime.timedelta(days=7))

    text = words(client.get(shared_url(secret)))

    assert "Health summary: Ada" in text
    assert "1 November 2026 to 25 November 2026 (25 days)" in text
    assert "stops working on 2 December 2026, 12:00 GMT" in text
    assert "Previous" not in text
    assert "consult your clinician" in text


def test_without_a_display_name_the_page_says_a_hearth_user(client, user):
    _, secret = make_link(user)

    text = words(client.get(shared_url(secret)))

    assert "Health summary: A Hearth user" in text
    assert user.email not in text
    assert user.email.split("@")[0] not in text


def test_the_page_is_unlisted_uncached_and_sends_no_referrer(client, user):
    _, secret = make_link(user)

    response = client.get(shared_url(secret))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex, nofollow">' in page(response)
    assert '<meta name="referrer" content="no-referrer">' in page(response)


def test_the_page_has_no_link_into_the_app_nor_any_form(client, records):
    _, secret = make_link(records, **dict.fromkeys(SECTIONS, True))

    html = page(client.get(shared_url(secret)))

    assert re.findall(r"<a\s[^>]*href=\"(?!#)[^\"]*\"", html) == []
    assert "<form" not in html
    assert "/api/" not in html


def test_signed_in_people_see_no_navigation_on_it_either(signed_in, user):
    _, secret = make_link(user)

    html = page(signed_in.get(shared_url(secret)))

    assert 'aria-label="Main"' not in html
    assert "Sign out" not in html


def test_nothing_from_outside_the_period_is_shown(client, records):
    _, secret = make_link(records, **dict.fromkeys(SECTIONS, True))

    response = client.get(shared_url(secret))

    html = page(response)
    # No previous-period comparison (its averages come from October's days).
    assert "Previous" not in html
    assert "previous period" not in html
    assert OUTSIDE_NOTE not in html
    assert "20 Oct" not in html
    # The calendar has November alone, and no day of it links anywhere.
    assert re.findall(r"<caption>([^<]+)</caption>", html) == ["November 2026"]


def test_the_shared_numbers_are_the_periods_own(client, records):
    _, secret = make_link(records, **dict.fromkeys(SECTIONS, True))

    text = words(client.get(shared_url(secret)))

    assert "3 of 25 days logged (12%)" in text
    assert "Flare days (severity 5 or more out of 10): 2" in text
    assert f"{OWN_SYMPTOM}: 2 days" in text
    assert MEDICATION in text
    assert "10 Nov 202611 Nov 202628/10" in text  # the flare episode: from, to, days, peak


@pytest.mark.parametrize("state", ["unknown", "revoked", "expired"])
def test_unknown_revoked_and_expired_links_answer_the_same_404(client, user, freeze_time, state):
    live, live_secret = make_link(user)
    revoked, revoked_secret = make_link(user)
    revoked.revoke()
    expired, expired_secret = make_link(user, expires_in=datetime.timedelta(days=1))
    freeze_time(datetime.datetime.fromisoformat("2026-11-26T12:00:00+00:00"))
    never_made = "x" * len(live_secret)
    secret = {"unknown": never_made, "revoked": revoked_secret, "expired": expired_secret}[state]

    with CaptureQueriesContext(connection) as asked:
        response = client.get(shared_url(secret))
    with CaptureQueriesContext(connection) as asked_unknown:
        unknown = client.get(shared_url(never_made))

    assert response.status_code == unknown.status_code == 404
    assert response.content == unknown.content
    assert sorted(response.headers.items()) == sorted(unknown.headers.items())
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    # The same work either way: one lookup by hash, the same query.
    assert [query["sql"].split("WHERE")[0] for query in asked.captured_queries] == [
        query["sql"].split("WHERE")[0] for query in asked_unknown.captured_queries
    ]
    assert len(asked.captured_queries) == 1
    assert not live.openings.exists()
    assert not revoked.openings.exists() and not expired.openings.exists()


def test_a_link_works_until_the_last_second_before_it_expires(client, user, freeze_time):
    _, secret = make_link(user, expires_in=datetime.timedelta(days=1))

    freeze_time("2026-11-26T11:59:59+00:00")
    assert client.get(shared_url(secret)).status_code == 200
    freeze_time("2026-11-26T12:00:00+00:00")
    assert client.get(shared_url(secret)).status_code == 404


def test_a_revoked_link_stops_at_once(client, user):
    link, secret = make_link(user)
    assert client.get(shared_url(secret)).status_code == 200

    link.revoke()

    assert client.get(shared_url(secret)).status_code == 404


def test_the_period_stays_as_it_was_made(client, user, freeze_time):
    _, secret = make_link(user)
    freeze_time("2026-12-20T12:00:00+00:00")

    text = words(client.get(shared_url(secret)))

    assert "1 November 2026 to 25 November 2026 (25 days)" in text


def test_every_opening_is_logged_with_a_coarse_device(client, user):
    link, secret = make_link(user)
    android_firefox = "Mozilla/5.0 (Android 14; Mobile; rv:130.0) Gecko/130.0 Firefox/130.0"

    client.get(shared_url(secret), HTTP_USER_AGENT=android_firefox)
    client.get(shared_url(secret), HTTP_USER_AGENT="curl/8.5.0")

    openings = list(link.openings.values_list("device", "passcode_given"))
    assert openings == [("curl", False), ("Firefox on Android", False)]


def test_the_page_asks_the_same_number_of_queries_for_a_long_period(client, records, user):
    _, short = make_link(user, **dict.fromkeys(SECTIONS, True))
    _, long = make_link(
        user, start=TODAY - datetime.timedelta(days=700), **dict.fromkeys(SECTIONS, True)
    )

    with CaptureQueriesContext(connection) as for_short:
        client.get(shared_url(short))
    with CaptureQueriesContext(connection) as for_long:
        client.get(shared_url(long))

    assert len(for_long.captured_queries) == len(for_short.captured_queries)


def test_a_second_person_gets_only_their_own_links_records(client, records, other_user):
    _, secret = make_link(other_user, **dict.fromkeys(SECTIONS, True))

    html = page(client.get(shared_url(secret)))

    assert OTHER_PERSONS_NOTE in html
    assert FLARE_NOTE not in html
    assert OWN_SYMPTOM not in html
    assert MEDICATION not in html


def test_only_its_secret_opens_a_link(client, user):
    link, secret = make_link(user)

    assert client.get(shared_url(secret[:-1])).status_code == 404
    assert client.get(shared_url(link.digest)).status_code == 404
    assert client.get(f"/s/{link.pk}/").status_code == 404
    assert ShareLink.objects.get().digest != secret


def test_the_first_7_day_averages_are_fed_by_the_periods_days_only(client, user):
    for day in range(26, 32):
        DailyEntryFactory(user=user, day=datetime.date(2026, 10, day), stress=10)
    for day in range(1, 5):
        DailyEntryFactory(user=user, day=datetime.date(2026, 11, day), stress=1)
    _, secret = make_link(user, show_charts=True)

    rolling = trend_data(client.get(shared_url(secret)))["series"]["measures"]["stress"]["rolling"]

    # October's tens would make 1 November's average 8.71 and 4 November's 5.29.
    assert rolling[:4] == [None, None, None, 1.0]


def test_a_suspended_persons_links_stop_with_their_sign_in(client, user, moderator):
    _, secret = make_link(user)

    user.suspend("Reported twice.", by=moderator)

    assert client.get(shared_url(secret)).status_code == 404
    user.reactivate("Cleared.", by=moderator)
    assert client.get(shared_url(secret)).status_code == 200


def test_no_log_line_carries_a_links_secret(client, user, caplog):
    link, secret = make_link(user)
    link.revoke()

    with caplog.at_level(logging.INFO):
        client.get(shared_url(secret))
        logging.getLogger("django.server").info('"GET /s/%s/ HTTP/1.1" 200 5120', secret)

    assert caplog.records, "nothing was logged, so nothing was checked"
    assert all(secret not in record.getMessage() for record in caplog.records)
    assert "Not Found: /s/[secret]/" in caplog.text
