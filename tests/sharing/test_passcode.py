"""A share link with a passcode: the page opens only once the passcode is given, and wrong
guesses are limited per link and per address."""

import pytest

from tests.pages import page, words
from tests.sharing.conftest import FLARE_NOTE, make_link, shared_url

pytestmark = pytest.mark.usefixtures("clock")

PASSCODE = "heron"


def test_the_page_asks_for_the_passcode_and_shows_nothing_before(client, records):
    link, secret = make_link(records, passcode=PASSCODE, show_notes=True)

    response = client.get(shared_url(secret))

    assert response.status_code == 200
    assert "This page needs a passcode" in words(response)
    assert 'id="report-summary"' not in page(response)
    assert FLARE_NOTE not in page(response)
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    assert not link.openings.exists()


def test_the_right_passcode_opens_the_page_and_is_logged(client, records):
    link, secret = make_link(records, passcode=PASSCODE, show_notes=True)

    response = client.post(shared_url(secret), {"passcode": f"  {PASSCODE} "})

    assert response.status_code == 200
    assert FLARE_NOTE in page(response)
    assert list(link.openings.values_list("passcode_given", flat=True)) == [True]


def test_only_a_hash_of_the_passcode_is_kept(user):
    link, _ = make_link(user, passcode=PASSCODE)

    assert PASSCODE not in link.passcode_hash
    assert link.passcode_matches(PASSCODE)
    assert not link.passcode_matches("Heron")


def test_a_wrong_passcode_is_said_next_to_the_field_and_opens_nothing(client, records):
    link, secret = make_link(records, passcode=PASSCODE, show_notes=True)

    response = client.post(shared_url(secret), {"passcode": "egret"})

    assert "That passcode is not the one set for this page." in words(response)
    assert FLARE_NOTE not in page(response)
    assert not link.openings.exists()


def test_five_wrong_passcodes_pause_that_link_even_for_the_right_one(client, user):
    link, secret = make_link(user, passcode=PASSCODE)
    for _ in range(5):
        assert client.post(shared_url(secret), {"passcode": "egret"}).status_code == 200

    refused = client.post(shared_url(secret), {"passcode": PASSCODE}, REMOTE_ADDR="10.0.0.9")

    assert refused.status_code == 429
    assert refused["Cache-Control"] == "no-store"
    assert not link.openings.exists()
    _, other_secret = make_link(user, passcode=PASSCODE)
    assert client.post(shared_url(other_secret), {"passcode": PASSCODE}).status_code == 200


def test_twenty_wrong_passcodes_from_one_address_pause_it_for_every_link(client, user):
    links = [make_link(user, passcode=PASSCODE) for _ in range(5)]
    for _, secret in links[:4]:
        for _ in range(5):
            client.post(shared_url(secret), {"passcode": "egret"})
    last = shared_url(links[4][1])

    assert client.post(last, {"passcode": PASSCODE}).status_code == 429
    assert client.post(last, {"passcode": PASSCODE}, REMOTE_ADDR="10.0.0.9").status_code == 200


def test_the_right_passcode_does_not_count_against_the_limit(client, user):
    _, secret = make_link(user, passcode=PASSCODE)

    answers = [client.post(shared_url(secret), {"passcode": PASSCODE}) for _ in range(8)]

    assert [answer.status_code for answer in answers] == [200] * 8


def test_a_passcode_guess_on_an_unknown_link_is_the_same_404(client, user):
    _, secret = make_link(user, passcode=PASSCODE)

    response = client.post(shared_url("y" * len(secret)), {"passcode": PASSCODE})

    assert response.status_code == 404
