"""/privacy/: the notice states each promise in plain words, and each promise holds.

The promises are tested where they are kept, and here where they meet the notice: notes
encrypted at rest in tests/tracker/test_encryption.py, logs in tests/config/test_logs.py, no
health data on any admin page in tests/accounts/test_moderation.py, export, import and deletion
in tests/portability/, and two-factor, passkeys, sessions, security activity and rate limits in
tests/accounts/.
"""

import re

import pytest
from django.conf import settings as django_settings
from django.contrib import admin

from accounts.models import IDLE_TIMEOUT_CHOICES, PRIVACY_VERSION, User
from tests.pages import page, words
from tests.tracker.test_encryption import settings_from

PROMISES = {
    "what is stored": [
        "your email address, a scrambled form of your password (never the password itself)",
        "sexual activity and how it went, what held you back, physical affection, desire, "
        "stress, sleep, fatigue, flares, symptoms and notes",
        "Everything you log is optional.",
    ],
    "where": [
        "In Hearth's own database, on servers run for Hearth. Connections to Hearth are encrypted.",
        "Your notes are encrypted at rest.",
        "Someone with a copy of the database would see scrambled text, not your words.",
        "Hearth's logs never contain your email address, your health values or your notes.",
    ],
    "who can see it": [
        "Only you.",
        "Staff cannot browse your health data.",
        "a count of the days you have logged",
        "They never see your values, notes, symptoms, medications or conditions.",
        "Every action staff take on an account is written to a log, with the reason.",
    ],
    "no advertising, trackers or selling": [
        "Hearth shows no advertising.",
        "Hearth uses no third-party trackers or analytics.",
        "Hearth never sells your data, and never shares it.",
        "Your browser is never asked to contact another site",
    ],
    "account safety": [
        "Two-factor sign-in: add an authenticator app, with recovery codes",
        "Passkeys: sign in with your fingerprint, face or device PIN",
        "Rate limits: after a few wrong passwords for an email address, Hearth stops accepting "
        "attempts for a while",
        "Sign-ups and password-reset emails are limited too.",
        "nobody can find out through sign-up whether you use Hearth",
        "exporting and deleting ask for your password or passkey again",
        "The security activity page, /account/security/, lists recent sign-ins, failed attempts "
        "and changes to your account.",
        "sign the others out, at /accounts/sessions/",
    ],
    "shared devices": [
        "Idle timeout: after a time you choose, from 15 minutes to 2 weeks, Hearth asks for your "
        "password or passkey again before it shows your health data.",
        "Discreet mode: hides your intimacy answers and chart markers until you choose to show "
        "them on that page",
        "Your browser is told not to keep a copy of any page or answer with your records",
        "Messages such as “Added Methotrexate.” wait on Hearth's server, never in a cookie.",
    ],
    "your data": [
        "Export: download everything as JSON, or your days as CSV for a spreadsheet, at "
        "/account/data/.",
        "Import: bring in a Hearth export or a CSV file with one row per day",
        "Delete: remove your account and every record in it, for good, at /account/delete/.",
        "If your account has been suspended, you can still ask for a copy of your data, or for "
        "it to be deleted.",
    ],
    "what Hearth does not protect against": [
        "What Hearth does not protect against",
        "A compromised device.",
        "A shared login. Anyone who knows your password",
        "A server taken over while it runs.",
    ],
}
# What the staff's account pages show, in the notice's words.
STAFF_SEE = {
    "email": "your email address",
    "display_name": "display name",
    "time_zone": "time zone",
    "date_joined": "when you joined",
    "last_login": "last signed in",
    "consent_given_at": "when you agreed to this notice",
    "consent_version": "when you agreed to this notice",
    "two_factor": "whether two-factor sign-in is on",
    "status": "whether the account is suspended or paused after wrong passwords",
    "is_active": "whether the account is suspended",
    "days_logged": "a count of the days you have logged",
}
# Staff rights, and the password field, which shows only that a scrambled form is set.
ABOUT_STAFF_NOT_YOU = {"password", "is_staff", "is_superuser", "groups"}


@pytest.fixture
def notice(client):
    return client.get("/privacy/")


@pytest.mark.django_db
def test_anyone_can_read_the_notice_and_its_version(notice):
    assert notice.status_code == 200
    assert PRIVACY_VERSION == "2026-12-02"
    assert f"Version {PRIVACY_VERSION}" in words(notice)


@pytest.mark.django_db
@pytest.mark.parametrize("section", PROMISES)
def test_the_notice_states_each_promise(notice, section):
    for promise in PROMISES[section]:
        assert promise in words(notice)


@pytest.mark.django_db
def test_the_support_address_is_the_configured_one(client, settings):
    settings.SUPPORT_EMAIL = "privacy@hearth.example"

    notice = client.get("/privacy/")

    assert 'href="mailto:privacy@hearth.example"' in page(notice)
    assert "Write to privacy@hearth.example from the email address you signed up with." in (
        words(notice)
    )


@pytest.mark.django_db
def test_every_page_the_notice_names_exists_for_a_signed_in_person(notice, client, user):
    article = re.search(r'<article class="prose">.*</article>', page(notice), flags=re.S)[0]
    paths = sorted(set(re.findall(r'href="(/[^"]*)"', article)))
    client.force_login(user)

    assert paths == [
        "/account/data/",
        "/account/delete/",
        "/account/security/",
        "/accounts/2fa/",
        "/accounts/sessions/",
    ]
    answers = {path: client.get(path) for path in paths}

    assert {path: response.status_code for path, response in answers.items()} == {
        # Exporting and deleting ask for the password or a passkey again first.
        "/account/data/": 302,
        "/account/delete/": 302,
        "/account/security/": 200,
        "/accounts/2fa/": 200,
        "/accounts/sessions/": 200,
    }
    for path in ["/account/data/", "/account/delete/"]:
        assert answers[path]["Location"].startswith("/accounts/reauthenticate/"), path


@pytest.mark.django_db
def test_the_notice_itself_asks_the_browser_for_nothing_from_another_site(notice):
    addresses = re.findall(r'(?:src|href|action)="([^"]*)"', page(notice))

    assert addresses
    for address in addresses:
        assert address.startswith(("/", "#", "mailto:")), address
    assert not re.search(r"<script(?![^>]*\bsrc=)", page(notice)), "inline script"
    assert " style=" not in page(notice)


@pytest.mark.django_db
def test_the_browser_is_told_to_load_nothing_from_another_site(notice):
    policy = notice["Content-Security-Policy"]

    assert "default-src 'self'" in policy
    sources = {source for directive in policy.split(";") for source in directive.split()[1:]}
    assert sources <= {"'self'", "'none'"}


@pytest.mark.django_db
def test_staff_tools_show_only_what_the_notice_lists(notice):
    registered = {model._meta.label for model in admin.site._registry}
    user_admin = admin.site._registry[User]
    shown = set(user_admin.list_display) | {
        field for _, options in user_admin.fieldsets for field in options["fields"]
    }

    assert not any(label.startswith("tracker.") for label in registered)
    assert registered <= {
        "accounts.User",
        "accounts.ModerationAction",
        "account.EmailAddress",
        "auth.Group",
    }
    assert shown - ABOUT_STAFF_NOT_YOU <= set(STAFF_SEE), "a new admin field: update the notice"
    for field in shown & set(STAFF_SEE):
        assert STAFF_SEE[field] in words(notice), field


def test_two_factor_passkeys_rate_limits_and_asking_again_are_switched_on():
    assert {"totp", "recovery_codes", "webauthn"} <= set(django_settings.MFA_SUPPORTED_TYPES)
    assert django_settings.MFA_PASSKEY_LOGIN_ENABLED
    limits = django_settings.ACCOUNT_RATE_LIMITS
    assert "/key" in limits["login_failed"]  # per email address
    assert limits["signup"] and limits["reset_password"]
    assert django_settings.ACCOUNT_REAUTHENTICATION_REQUIRED


@pytest.mark.django_db
def test_the_idle_timeout_and_discreet_mode_are_described_as_the_profile_offers_them(notice):
    assert (IDLE_TIMEOUT_CHOICES[0][1], IDLE_TIMEOUT_CHOICES[-1][1]) == ("15 minutes", "2 weeks")
    discreet = User._meta.get_field("discreet_mode")
    assert not discreet.default
    shared_words = "intimacy answers and chart markers until you choose to show them on that page"
    assert shared_words in " ".join(discreet.help_text.split())
    assert shared_words in words(notice)


def test_production_connections_are_encrypted(monkeypatch):
    key = django_settings.NOTES_ENCRYPTION_KEYS[0]
    production = settings_from(
        monkeypatch,
        DEBUG="false",
        SECRET_KEY="s3cret",
        NOTES_ENCRYPTION_KEYS=key,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        SINGLE_PROCESS="true",
    )

    assert production["SECURE_SSL_REDIRECT"]
    assert production["SECURE_HSTS_SECONDS"] > 0
    assert production["SESSION_COOKIE_SECURE"] and production["CSRF_COOKIE_SECURE"]
