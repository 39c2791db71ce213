"""/share/: making a link (after the password again), seeing it once, the list with each
link's openings, revoking, and nobody else ever reaching a person's links."""

import datetime
import hashlib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import SecurityEvent
from sharing.models import ShareLink
from sharing.views import OPENINGS_SHOWN
from tests.conftest import PASSWORD, TODAY, reauthenticate
from tests.pages import page, words
from tests.sharing.conftest import make_link, shared_url

pytestmark = pytest.mark.usefixtures("clock")

SHARE = "/share/"
ASKED_FOR_THE_PASSWORD = "/accounts/reauthenticate/?next=%2Fshare%2F"
DEFAULT_SECTIONS = {
    "show_summary": "on",
    "show_charts": "on",
    "show_flares": "on",
    "show_symptoms": "on",
    "show_medications": "on",
    "show_insights": "on",
}


def make_through_the_page(client, **data) -> str:
    """Make a link as a person does; the address the page shows once."""
    response = client.post(SHARE, {"period": "30d", **DEFAULT_SECTIONS, **data})
    assert response.status_code == 302, "the form was refused"
    return client.get(response.url).context["new_link"]["url"]


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(SHARE)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_page_offers_the_form_with_notes_and_intimacy_off_and_a_plain_warning(signed_in):
    response = signed_in.get(SHARE)

    form = response.context["form"]
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert form["show_summary"].initial is True
    assert form["show_notes"].initial is False and form["show_intimacy"].initial is False
    assert form["expires"].initial == 30
    text = words(response)
    assert "Your notes may name people, places and feelings" in text
    assert "whoever has the link sees them" in text


def test_making_a_link_asks_for_the_password_again(signed_in, user):
    response = signed_in.post(SHARE, {"period": "30d", **DEFAULT_SECTIONS})

    assert response.status_code == 302
    assert response.url == ASKED_FOR_THE_PASSWORD
    assert not ShareLink.objects.exists()
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SHARE_LINK_CREATED).exists()


def test_the_link_is_made_once_the_password_is_given(signed_in, user):
    signed_in.post(SHARE, {"period": "30d", "label": "Dr Okafor", **DEFAULT_SECTIONS})

    response = signed_in.post(ASKED_FOR_THE_PASSWORD, {"password": PASSWORD})

    assert response.status_code == 302
    assert response.url == SHARE
    assert ShareLink.objects.get(user=user).label == "Dr Okafor"


def test_a_confirmation_older_than_the_timeout_no_longer_counts(signed_in, user, settings):
    reauthenticate(signed_in, user, seconds_ago=settings.ACCOUNT_REAUTHENTICATION_TIMEOUT + 1)

    response = signed_in.post(SHARE, {"period": "30d", **DEFAULT_SECTIONS})

    assert response.url == ASKED_FOR_THE_PASSWORD
    assert not ShareLink.objects.exists()


def test_the_secret_is_shown_once_and_only_its_hash_is_kept(confirmed, user):
    url = make_through_the_page(confirmed, label="  Dr   Okafor, March ")

    secret = url.rstrip("/").rsplit("/", 1)[1]
    assert url == f"http://testserver/s/{secret}/"
    link = ShareLink.objects.get(user=user)
    assert link.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(list(ShareLink.objects.values_list()))
    assert link.label == "Dr Okafor, March"
    again = confirmed.get(SHARE)
    assert again.context["new_link"] is None
    assert secret not in page(again)
    assert confirmed.get(url).status_code == 200


def test_a_link_keeps_the_period_sections_and_expiry_chosen(confirmed, user):
    make_through_the_page(
        confirmed,
        period="custom",
        start="2026-10-01",
        end="2026-10-31",
        show_charts="",
        show_notes="on",
        expires="7",
        passcode="heron",
    )

    link = ShareLink.objects.get(user=user)
    assert (link.start, link.end) == (datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))
    assert link.sections == [
        "Summary table",
        "Flare calendar and episodes",
        "Symptoms",
        "Medications",
        "Insights",
        "Notes from flare days",
    ]
    assert link.expires_at - link.created_at == datetime.timedelta(days=7)
    assert link.passcode_matches("heron")


def test_a_named_range_is_fixed_to_its_days_when_the_link_is_made(confirmed, user):
    make_through_the_page(confirmed, period="90d", expires="")

    link = ShareLink.objects.get(user=user)
    assert (link.start, link.end) == (TODAY - datetime.timedelta(days=89), TODAY)
    assert link.expires_at - link.created_at == datetime.timedelta(days=30)


def test_making_a_link_is_a_security_event(confirmed, user):
    make_through_the_page(confirmed)

    kinds = list(SecurityEvent.objects.filter(user=user).values_list("kind", flat=True))
    assert kinds == [SecurityEvent.Kind.SHARE_LINK_CREATED]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"period": "custom", "start": "", "end": "2026-11-01"}, "start", "Give the first day"),
        ({"period": "custom", "start": "2026-11-01"}, "end", "Give the last day to share."),
        ({"period": "custom", "start": "2026-11-10", "end": "2026-11-01"}, "start", "before"),
        ({"period": "custom", "start": "2026-12-01", "end": "2026-12-10"}, "start", "after today"),
        ({"period": "forever"}, "period", "Select a valid choice"),
        ({"expires": "365"}, "expires", "Select a valid choice"),
    ],
)
def test_what_cannot_be_used_is_said_by_its_field_and_nothing_is_made(
    confirmed, data, field, message
):
    response = confirmed.post(SHARE, {"period": "30d", **DEFAULT_SECTIONS, **data})

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors[field])
    assert "No link was made" in words(response)
    assert not ShareLink.objects.exists()


def test_a_link_must_show_something(confirmed):
    response = confirmed.post(SHARE, {"period": "30d", "label": "Empty"})

    assert "Tick at least one thing for the link to show." in words(response)
    assert 'value="Empty"' in page(response)
    assert not ShareLink.objects.exists()


def test_the_list_shows_each_links_openings(signed_in, user, visitor):
    _, secret = make_link(user, label="Dr Adeyemi", passcode="heron")
    visitor.post(shared_url(secret), {"passcode": "heron"}, HTTP_USER_AGENT="curl/8.5.0")

    response = signed_in.get(SHARE)
    text, html = words(response), page(response)

    assert "Dr Adeyemi" in text
    assert "Opened 1 time" in text
    assert re.search(
        r"<tr><th[^>]*><time[^>]*>Wed 25 Nov 2026, 12:00</time></th>"
        r"<td[^>]*>curl</td><td[^>]*>Yes</td></tr>",
        html,
    )
    assert "Needs the passcode." in text
    assert "Expires 25 Dec 2026, 12:00." in text


def test_revoking_stops_the_link_at_once_and_is_a_security_event(signed_in, user, visitor):
    link, secret = make_link(user)

    response = signed_in.post(f"/share/{link.pk}/revoke/")

    assert response.status_code == 302
    assert visitor.get(shared_url(secret)).status_code == 404
    assert "Revoked" in words(signed_in.get(SHARE))
    kinds = list(SecurityEvent.objects.filter(user=user).values_list("kind", flat=True))
    assert kinds == [SecurityEvent.Kind.SHARE_LINK_REVOKED]


def test_revoking_needs_a_post(signed_in, user):
    link, _ = make_link(user)

    assert signed_in.get(f"/share/{link.pk}/revoke/").status_code == 405
    assert ShareLink.objects.live().count() == 1


def test_another_person_never_lists_or_revokes_someone_elses_link(client, user, other_user):
    link, _ = make_link(user, label="Dr Adeyemi")
    client.force_login(other_user)

    listed = client.get(SHARE)
    revoked = client.post(f"/share/{link.pk}/revoke/")

    assert "Dr Adeyemi" not in page(listed)
    assert list(listed.context["links"]) == []
    assert revoked.status_code == 404
    assert ShareLink.objects.live().get() == link
    assert not SecurityEvent.objects.exists()


def test_discreet_mode_hides_labels_until_revealed(signed_in, user):
    user.discreet_mode = True
    user.save()
    make_link(user, label="Dr Okafor, sexual health clinic")

    html = page(signed_in.get(SHARE))

    heading = html.split("<h3>")[1].split("</h3>")[0]
    assert "Okafor" not in heading
    assert "Link made 25 Nov 2026, 12:00" in heading
    closed = html.split('<details class="private-answers private-answers--inline">')[1]
    assert "Dr Okafor, sexual health clinic" in closed.split("</details>")[0]
    assert "Show private answers" in closed


def test_the_account_menu_links_to_the_page(signed_in):
    assert 'href="/share/"' in page(signed_in.get("/account/profile/"))


def test_the_list_asks_the_same_number_of_queries_for_many_links_and_openings(
    signed_in, user, visitor
):
    for _ in range(2):
        _, secret = make_link(user)
        visitor.get(shared_url(secret))
    with CaptureQueriesContext(connection) as few:
        signed_in.get(SHARE)
    for _ in range(8):
        _, secret = make_link(user)
        for _ in range(3):
            visitor.get(shared_url(secret))

    with CaptureQueriesContext(connection) as many:
        response = signed_in.get(SHARE)

    assert len(many.captured_queries) == len(few.captured_queries)
    assert words(response).count("Opened 3 times") == 8


def test_the_list_shows_the_latest_openings_and_counts_them_all(signed_in, user, visitor):
    _, secret = make_link(user)
    for _ in range(OPENINGS_SHOWN + 2):
        visitor.get(shared_url(secret))

    response = signed_in.get(SHARE)

    assert f"Opened {OPENINGS_SHOWN + 2} times (the latest {OPENINGS_SHOWN} below)" in words(
        response
    )
    assert page(response).count('<td data-label="Passcode given">') == OPENINGS_SHOWN
