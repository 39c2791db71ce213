"""Creating an account with consent and a time zone; signing in and out; passwords."""

import re

import pytest
from django.core.cache import cache

from accounts.models import PRIVACY_VERSION, User
from tests.conftest import PASSWORD
from tests.pages import page

NEW_PASSWORD = "another long and unusual passphrase"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    # allauth counts attempts per address in the cache; one test's attempts must not limit another.
    cache.clear()


def signup(client, **changes):
    data = {
        "email": "new.person@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "time_zone": "Pacific/Auckland",
        "consent": "on",
    }
    data.update(changes)
    return client.post("/accounts/signup/", {k: v for k, v in data.items() if v is not None})


@pytest.mark.django_db
def test_signing_up_records_the_time_zone_and_the_consent_given(client, freeze_time):
    now = freeze_time("2026-11-25T09:15:00+00:00")

    response = signup(client)

    assert response.status_code == 302
    assert response.url == "/log/"
    person = User.objects.get(email="new.person@example.org")
    assert person.time_zone == "Pacific/Auckland"
    assert person.consent_given_at == now
    assert person.consent_version == PRIVACY_VERSION
    assert person.check_password(PASSWORD)
    assert client.get("/log/").status_code == 200


@pytest.mark.django_db
def test_no_account_is_made_without_consent(client):
    response = signup(client, consent=None)

    assert response.status_code == 200
    assert "Hearth can only keep your log with your agreement." in page(response)
    assert not User.objects.exists()


@pytest.mark.django_db
def test_no_account_is_made_with_an_unknown_time_zone(client):
    response = signup(client, time_zone="Mars/Olympus")

    assert response.status_code == 200
    assert "“Mars/Olympus” is not a time zone we know." in page(response)
    assert not User.objects.exists()


@pytest.mark.django_db
def test_an_email_address_is_stored_in_lower_case(client):
    signup(client, email="Ada.Lovelace@Example.ORG")

    assert User.objects.get().email == "ada.lovelace@example.org"


def test_signing_in_works_whatever_the_capitals_of_the_address(client, user):
    response = client.post("/accounts/login/", {"login": "ADA@example.ORG", "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == "/log/"
    assert client.get("/log/").context["user"] == user


def test_a_wrong_password_does_not_sign_in(client, user):
    response = client.post("/accounts/login/", {"login": user.email, "password": "wrong guess"})

    assert response.status_code == 200
    assert client.get("/log/").status_code == 302


@pytest.mark.django_db
def test_the_consent_label_links_to_the_privacy_notice(client):
    response = client.get("/accounts/signup/")

    label = re.search(r'<label for="id_consent">(.*?)</label>', page(response), flags=re.S)
    assert label, "the consent checkbox needs a label"
    assert '<a href="/privacy/">privacy notice</a>' in label[1]
    assert "sexual-activity information" in label[1]


@pytest.mark.django_db
def test_the_sign_up_page_offers_the_time_zones_for_the_browser_to_preselect(client):
    response = client.get("/accounts/signup/")

    select = re.search(r'<select name="time_zone"[^>]*>', page(response))
    assert select
    assert "data-browser-time-zone" in select[0]
    assert '<option value="Pacific/Auckland">Pacific/Auckland</option>' in page(response)
    assert '<option value="America/Los_Angeles">America/Los Angeles</option>' in page(response)


def test_signing_out_by_get_only_asks_for_confirmation(signed_in):
    response = signed_in.get("/accounts/logout/")

    assert response.status_code == 200
    assert "Are you sure you want to sign out?" in page(response)
    assert signed_in.get("/log/").status_code == 200


def test_signing_out_by_post_ends_the_session(signed_in):
    response = signed_in.post("/accounts/logout/")

    assert response.status_code == 302
    assert response.url == "/"
    assert signed_in.get("/log/").status_code == 302


def test_a_password_reset_mails_a_link_that_sets_a_new_password(client, user, mailoutbox):
    response = client.post("/accounts/password/reset/", {"email": "Ada@Example.org"})

    assert response.status_code == 302
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["ada@example.org"]
    assert mail.subject.startswith("[Hearth] ")
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.body)
    assert link

    # allauth moves the key from the link into the session, then shows the form.
    form_page = client.get(link[1], follow=True)
    assert form_page.status_code == 200
    client.post(
        form_page.request["PATH_INFO"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_changing_the_password_keeps_the_person_signed_in(signed_in, user):
    response = signed_in.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert signed_in.get("/log/").status_code == 200


def test_the_password_is_not_changed_without_the_current_one(signed_in, user):
    response = signed_in.post(
        "/accounts/password/change/",
        {"oldpassword": "not my password", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
