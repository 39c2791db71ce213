"""The security activity page, and the account events that fill it."""

import datetime
import re

import pytest
from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.test import Client, RequestFactory

from accounts.models import ApiToken, SecurityEvent
from accounts.tokens import create_token
from tests.conftest import PASSWORD, reauthenticate
from tests.pages import page, words

Kind = SecurityEvent.Kind
FIREFOX_ON_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0"
SAFARI_ON_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)


def kinds(user) -> list[str]:
    return list(SecurityEvent.objects.filter(user=user).values_list("kind", flat=True))


@pytest.fixture
def phone(db) -> Client:
    return Client(HTTP_USER_AGENT=FIREFOX_ON_ANDROID)


@pytest.fixture
def signal_request(user):
    request = RequestFactory().get("/", HTTP_USER_AGENT=SAFARI_ON_IPHONE)
    request.user = user
    return request


# Events ---------------------------------------------------------------------------------------


def test_signing_in_is_recorded_with_a_coarse_device(phone, user):
    response = phone.post("/accounts/login/", {"login": user.email, "password": PASSWORD})

    assert response.status_code == 302
    event = SecurityEvent.objects.get(user=user)
    assert event.kind == Kind.LOGIN
    assert event.device == "Firefox on Android"


def test_a_wrong_password_is_recorded_on_the_accounts_page_without_the_address(phone, user):
    response = phone.post("/accounts/login/", {"login": user.email, "password": "wrong guess"})

    assert response.status_code == 200
    event = SecurityEvent.objects.get(user=user)
    assert event.kind == Kind.LOGIN_FAILED
    assert event.device == "Firefox on Android"
    assert user.email not in str(SecurityEvent.objects.values().get())


def test_a_failed_sign_in_answers_the_same_whether_or_not_the_account_exists(phone, user):
    known = phone.post("/accounts/login/", {"login": user.email, "password": "wrong guess"})
    unknown = phone.post(
        "/accounts/login/", {"login": "nobody@example.org", "password": "wrong guess"}
    )

    assert known.status_code == unknown.status_code == 200
    error = re.compile(r'<div class="error-summary"(.*?)</div>', re.S)
    assert error.search(page(known))[1] == error.search(page(unknown))[1]
    assert SecurityEvent.objects.count() == 1  # only the real account's attempt


def test_signing_out_is_recorded(phone, user):
    phone.force_login(user)

    phone.post("/accounts/logout/")

    assert kinds(user) == [Kind.LOGOUT]


def test_changing_the_password_is_recorded(signed_in, user):
    response = signed_in.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "a new and long phrase",
            "password2": "a new and long phrase",
        },
    )

    assert response.status_code == 302
    assert kinds(user) == [Kind.PASSWORD_CHANGED]


@pytest.mark.parametrize(
    ("signal", "kind"),
    [
        (account_signals.password_reset, Kind.PASSWORD_RESET),
        (account_signals.email_changed, Kind.EMAIL_CHANGED),
    ],
)
def test_allauth_account_signals_are_recorded(signal, kind, user, signal_request):
    signal.send(sender=type(user), request=signal_request, user=user)

    event = SecurityEvent.objects.get(user=user)
    assert event.kind == kind
    assert event.device == "Safari on iPhone"


@pytest.mark.parametrize(
    ("signal", "authenticator_type", "expected"),
    [
        (mfa_signals.authenticator_added, Authenticator.Type.TOTP, [Kind.MFA_ENABLED]),
        (mfa_signals.authenticator_added, Authenticator.Type.WEBAUTHN, [Kind.MFA_ENABLED]),
        (
            mfa_signals.authenticator_added,
            Authenticator.Type.RECOVERY_CODES,
            [Kind.RECOVERY_CODES_REGENERATED],
        ),
        (mfa_signals.authenticator_removed, Authenticator.Type.TOTP, [Kind.MFA_DISABLED]),
        (mfa_signals.authenticator_removed, Authenticator.Type.WEBAUTHN, [Kind.MFA_DISABLED]),
        # Removed along with the last app or passkey, which is the event already recorded.
        (mfa_signals.authenticator_removed, Authenticator.Type.RECOVERY_CODES, []),
        (
            mfa_signals.authenticator_reset,
            Authenticator.Type.RECOVERY_CODES,
            [Kind.RECOVERY_CODES_REGENERATED],
        ),
    ],
)
def test_two_factor_changes_are_recorded_by_authenticator_type(
    signal, authenticator_type, expected, user, signal_request
):
    authenticator = Authenticator(user=user, type=authenticator_type, data={})

    signal.send(
        sender=Authenticator, request=signal_request, user=user, authenticator=authenticator
    )

    assert kinds(user) == expected


def test_making_and_revoking_an_api_token_are_recorded(signed_in, user):
    reauthenticate(signed_in, user)  # making a token asks for the password again
    signed_in.post("/account/tokens/", {"name": "Phone shortcut", "expires": "90"})
    token = ApiToken.objects.get(user=user)

    signed_in.post(f"/account/tokens/{token.digest}/revoke/")

    assert kinds(user) == [Kind.TOKEN_REVOKED, Kind.TOKEN_CREATED]


def test_someone_else_cannot_revoke_a_token_and_nothing_is_recorded(signed_in, other_user):
    token, _ = create_token(other_user, "Theirs")

    response = signed_in.post(f"/account/tokens/{token.digest}/revoke/")

    assert response.status_code == 404
    assert SecurityEvent.objects.count() == 0


def test_signing_out_other_sessions_ends_them_and_is_recorded(user, phone):
    elsewhere = Client(HTTP_USER_AGENT=SAFARI_ON_IPHONE)
    for client in (phone, elsewhere):
        client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert UserSession.objects.filter(user=user).count() == 2

    sessions_page = phone.get("/accounts/sessions/")
    assert 'action="/account/sessions/end-others/"' in page(sessions_page)
    response = phone.post("/account/sessions/end-others/")

    assert response.status_code == 302
    assert response.url == "/accounts/sessions/"
    assert UserSession.objects.filter(user=user).count() == 1
    assert elsewhere.get("/log/").status_code == 302  # signed out there
    assert kinds(user)[0] == Kind.SESSIONS_ENDED


def test_ending_sessions_needs_a_post(signed_in):
    assert signed_in.get("/account/sessions/end-others/").status_code == 405


# The page -------------------------------------------------------------------------------------


def test_the_page_needs_signing_in(client):
    response = client.get("/account/security/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_the_page_lists_events_newest_first_in_the_persons_time_zone(signed_in, user):
    user.time_zone = "Pacific/Auckland"
    user.save()
    SecurityEvent.objects.create(
        user=user,
        kind=Kind.LOGIN,
        device="Firefox on Android",
        created_at=datetime.datetime(2026, 11, 24, 22, 5, tzinfo=datetime.UTC),
    )
    SecurityEvent.objects.create(
        user=user,
        kind=Kind.MFA_ENABLED,
        device="Safari on iPhone",
        created_at=datetime.datetime(2026, 11, 25, 8, 0, tzinfo=datetime.UTC),
    )

    text = words(signed_in.get("/account/security/"))

    newest = text.index("Two-factor method added Wed 25 Nov 2026, 21:00 Safari on iPhone")
    oldest = text.index("Signed in Wed 25 Nov 2026, 11:05 Firefox on Android")
    assert newest < oldest


def test_the_page_never_shows_someone_elses_events(signed_in, other_user):
    SecurityEvent.objects.create(user=other_user, kind=Kind.EXPORT, device="Edge on Windows")

    text = words(signed_in.get("/account/security/"))

    assert "Data exported" not in text
    assert "Edge on Windows" not in text
    assert "Nothing recorded yet" in text


def test_the_page_shows_fifty_events_a_page(signed_in, user):
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    SecurityEvent.objects.bulk_create(
        SecurityEvent(
            user=user,
            kind=Kind.LOGIN,
            device=f"Device {n}",
            created_at=start + datetime.timedelta(hours=n),
        )
        for n in range(60)
    )

    first = page(signed_in.get("/account/security/"))
    second = page(signed_in.get("/account/security/?page=2"))

    assert first.count('class="security-event"') == 50
    assert "Device 59" in first and "Device 10<" in first and "Device 9<" not in first
    assert second.count('class="security-event"') == 10
    assert "Page 2 of 2" in second
    assert 'href="?page=1"' in second


def test_a_page_number_past_the_end_shows_the_last_page(signed_in, user):
    SecurityEvent.objects.create(user=user, kind=Kind.LOGIN, device="Firefox on Linux")

    response = signed_in.get("/account/security/?page=9")

    assert response.status_code == 200
    assert "Firefox on Linux" in words(response)


def test_the_number_of_queries_does_not_grow_with_the_events(
    signed_in, user, django_assert_num_queries
):
    def add(count: int) -> None:
        SecurityEvent.objects.bulk_create(
            SecurityEvent(user=user, kind=Kind.LOGIN, device="Chrome on Android")
            for _ in range(count)
        )

    add(3)
    signed_in.get("/account/security/")  # the session and caches settle
    with django_assert_num_queries(4):  # session, person, count, one page of events
        signed_in.get("/account/security/")
    add(200)
    with django_assert_num_queries(4):
        signed_in.get("/account/security/?page=2")


def test_the_page_links_to_the_security_settings(signed_in):
    html = page(signed_in.get("/account/security/"))

    for href in (
        "/accounts/2fa/",
        "/accounts/sessions/",
        "/accounts/password/change/",
        "/account/profile/#id_idle_timeout_minutes",
    ):
        assert f'href="{href}"' in html


def test_the_profile_links_to_the_security_page(signed_in):
    assert 'href="/account/security/"' in page(signed_in.get("/account/profile/"))
