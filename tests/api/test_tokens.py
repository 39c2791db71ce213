"""Personal access tokens: made on /account/tokens/ after the password is confirmed again,
shown once, stored only as a hash, sent as `Authorization: Bearer <token>`, expiring when the
person chose (90 days unless they say otherwise), and dead the moment the account is suspended
or deleted, the password changes or is reset, or the person signs out everywhere else."""

import datetime
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from knox.crypto import hash_token
from rest_framework.test import APIClient

from accounts.models import ApiToken, SecurityEvent
from accounts.tokens import create_token
from accounts.views import NEW_TOKEN_SESSION_KEY
from tests.conftest import PASSWORD, reauthenticate
from tests.factories import UserFactory
from tests.pages import page, words

ME = "/api/v1/me/"
TOKENS = "/account/tokens/"
ASKED_FOR_THE_PASSWORD = "/accounts/reauthenticate/?next=%2Faccount%2Ftokens%2F"
NEW_PASSWORD = "another long and unusual passphrase"


pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def confirmed(signed_in, user):
    """Signed in, and the password confirmed a moment ago (as making a token requires)."""
    reauthenticate(signed_in, user)
    return signed_in


def with_token(secret: str, prefix: str = "Bearer") -> APIClient:
    return APIClient(HTTP_AUTHORIZATION=f"{prefix} {secret}")


def make_token(client: Client, **data) -> str:
    """Make a token through the page as a person does, and return the secret it shows."""
    response = client.post(TOKENS, {"name": "Script", **data})
    assert response.status_code == 302, "the form was refused"
    return client.get(response.url).context["new_token"]["secret"]


def test_the_tokens_page_needs_a_signed_in_person(client, db):
    response = client.get("/account/tokens/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_the_profile_page_links_to_the_tokens_page(signed_in):
    assert 'href="/account/tokens/"' in page(signed_in.get("/account/profile/"))


def test_making_a_token_shows_its_secret_once_and_stores_only_its_hash(confirmed, user):
    response = confirmed.post(TOKENS, {"name": "  Phone   shortcut ", "expires": "30"})

    assert response.status_code == 302
    assert response.url == TOKENS
    shown = confirmed.get(TOKENS)
    assert shown.status_code == 200
    assert "no-store" in shown["Cache-Control"]
    token = ApiToken.objects.get(user=user)
    assert token.name == "Phone shortcut"
    secret = shown.context["new_token"]["secret"]
    assert f'value="{secret}"' in page(shown)
    assert "Copy it now: it will not be shown again." in page(shown)
    assert token.digest == hash_token(secret)
    stored = [str(value) for value in ApiToken.objects.filter(user=user).values().get().values()]
    assert secret not in stored


def test_refreshing_the_page_makes_no_second_token_and_shows_the_secret_no_more(confirmed):
    response = confirmed.post(TOKENS, {"name": "Phone shortcut", "expires": "90"})
    secret = confirmed.get(response.url).context["new_token"]["secret"]

    refreshed = confirmed.get(TOKENS)

    assert ApiToken.objects.count() == 1
    assert secret not in page(refreshed)
    assert "Phone shortcut" in page(refreshed)
    assert NEW_TOKEN_SESSION_KEY not in confirmed.session


def test_the_secret_travels_in_neither_a_cookie_nor_the_address(confirmed):
    response = confirmed.post(TOKENS, {"name": "Script", "expires": "90"})
    secret = confirmed.get(response.url).context["new_token"]["secret"]

    assert secret not in response.url
    assert not any(secret in morsel.value for morsel in response.cookies.values())


def test_the_new_token_field_is_read_only_and_focused_for_copying(confirmed):
    response = confirmed.post(TOKENS, {"name": "Script", "expires": "90"})

    field = re.search(r'<input[^>]*id="new-token"[^>]*>', page(confirmed.get(response.url)))[0]

    assert " readonly" in field
    assert " autofocus" in field
    assert "data-copy-field" in field


def test_the_copy_script_is_loaded_only_with_a_new_secret(confirmed):
    assert "js/copy.js" not in page(confirmed.get(TOKENS))

    response = confirmed.post(TOKENS, {"name": "Script", "expires": "90"})

    assert "js/copy.js" in page(confirmed.get(response.url))


def test_the_secret_works_as_a_bearer_token(confirmed, user):
    secret = make_token(confirmed, expires="90")

    me = with_token(secret).get(ME)

    assert me.status_code == 200
    assert me.json()["email"] == user.email


# Asking for the password again ----------------------------------------------------------------


def test_making_a_token_without_a_recent_password_asks_for_it_and_makes_none(signed_in):
    response = signed_in.post(TOKENS, {"name": "Script", "expires": "90"})

    assert response.status_code == 302
    assert response.url == ASKED_FOR_THE_PASSWORD
    assert not ApiToken.objects.exists()
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.TOKEN_CREATED).exists()


def test_a_confirmation_older_than_the_timeout_no_longer_counts(signed_in, user, settings):
    reauthenticate(signed_in, user, seconds_ago=settings.ACCOUNT_REAUTHENTICATION_TIMEOUT + 1)

    response = signed_in.post(TOKENS, {"name": "Script", "expires": "90"})

    assert response.url == ASKED_FOR_THE_PASSWORD
    assert not ApiToken.objects.exists()


def test_the_token_is_made_once_the_password_is_given(signed_in, user):
    signed_in.post(TOKENS, {"name": "Phone shortcut", "expires": "30"})

    response = signed_in.post(ASKED_FOR_THE_PASSWORD, {"password": PASSWORD})

    assert response.status_code == 302
    assert response.url == TOKENS
    token = ApiToken.objects.get(user=user)
    assert token.name == "Phone shortcut"
    assert hash_token(signed_in.get(TOKENS).context["new_token"]["secret"]) == token.digest


def test_a_wrong_password_makes_no_token(signed_in):
    signed_in.post(TOKENS, {"name": "Script", "expires": "90"})

    response = signed_in.post(ASKED_FOR_THE_PASSWORD, {"password": "not my password"})

    assert response.status_code == 200
    assert not ApiToken.objects.exists()


def test_the_list_and_revoking_need_no_new_password(signed_in, user):
    token, _ = create_token(user, "Old script")

    assert signed_in.get(TOKENS).status_code == 200
    assert signed_in.post(f"/account/tokens/{token.digest}/revoke/").status_code == 302
    assert not ApiToken.objects.exists()


def test_an_idle_session_is_asked_for_the_password_before_the_tokens_page(
    client, user, freeze_time
):
    start = freeze_time("2026-11-25T09:00:00+00:00")
    client.force_login(user)
    client.get("/")
    freeze_time(start + datetime.timedelta(minutes=user.idle_timeout_minutes, seconds=1))

    shown = client.get(TOKENS)
    posted = client.post(TOKENS, {"name": "Script", "expires": "90"})

    assert shown.status_code == posted.status_code == 302
    assert shown.url == posted.url == ASKED_FOR_THE_PASSWORD
    assert not ApiToken.objects.exists()


# Expiry ---------------------------------------------------------------------------------------


def test_the_form_offers_30_90_or_365_days_or_never_with_90_chosen(signed_in):
    form = page(signed_in.get(TOKENS))

    options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', form)

    assert options == [
        ("30", "", "In 30 days"),
        ("90", " selected", "In 90 days"),
        ("365", "", "In a year"),
        ("never", "", "Never (it works until you revoke it)"),
    ]


@pytest.mark.parametrize(
    ("data", "expires"),
    [
        ({}, datetime.date(2027, 2, 23)),
        ({"expires": ""}, datetime.date(2027, 2, 23)),
        ({"expires": "30"}, datetime.date(2026, 12, 25)),
        ({"expires": "90"}, datetime.date(2027, 2, 23)),
        ({"expires": "365"}, datetime.date(2027, 11, 25)),
    ],
)
def test_a_token_expires_when_chosen_and_in_90_days_unless_told(confirmed, data, expires):
    confirmed.post(TOKENS, {"name": "Script", **data})

    assert ApiToken.objects.get().expiry.date() == expires


def test_a_token_never_expires_only_when_the_person_chooses_never(confirmed):
    confirmed.post(TOKENS, {"name": "Forever", "expires": "never"})

    assert ApiToken.objects.get().expiry is None
    assert "Never expires." in words(confirmed.get(TOKENS))


def test_an_expiry_not_offered_is_refused_with_the_name_kept(confirmed):
    response = confirmed.post(TOKENS, {"name": "Script", "expires": "7"})

    assert response.status_code == 200
    assert response.context["form"].errors["expires"]
    assert 'value="Script"' in page(response)
    assert not ApiToken.objects.exists()


def test_create_token_expires_in_90_days_unless_told_never(user):
    assert create_token(user, "Default")[0].expiry.date() == datetime.date(2027, 2, 23)
    assert create_token(user, "Forever", None)[0].expiry is None


def test_the_list_shows_name_made_last_used_and_expiry(client, user, freeze_time):
    create_token(user, "Laptop", None)
    _, secret = create_token(user, "Shortcut", datetime.timedelta(days=30))
    create_token(user, "Default")
    freeze_time("2026-11-26T08:15:00+00:00")
    with_token(secret).get(ME)
    client.force_login(user)

    text = words(client.get(TOKENS))

    assert "Shortcut Made 25 Nov 2026. Last used 26 Nov 2026, 08:15. Expires 25 Dec 2026." in text
    assert "Laptop Made 25 Nov 2026. Not used yet. Never expires." in text
    assert "Default Made 25 Nov 2026. Not used yet. Expires 23 Feb 2027." in text


def test_the_list_says_when_a_token_has_expired(client, user, freeze_time):
    create_token(user, "Trial", datetime.timedelta(days=30))
    freeze_time("2026-12-26T12:00:00+00:00")
    client.force_login(user)

    assert "Trial Made 25 Nov 2026. Not used yet. Expired 25 Dec 2026." in words(client.get(TOKENS))


def test_times_are_shown_in_the_persons_time_zone(client, user, freeze_time):
    user.time_zone = "Asia/Tokyo"
    user.save()
    _, secret = create_token(user, "Shortcut")
    freeze_time("2026-11-26T20:15:00+00:00")
    with_token(secret).get(ME)
    client.force_login(user)

    assert "Last used 27 Nov 2026, 05:15." in words(client.get(TOKENS))


@pytest.mark.parametrize("name", ["", "   ", "x" * 61])
def test_a_token_needs_a_name(confirmed, user, name):
    response = confirmed.post(TOKENS, {"name": name, "expires": "90"})

    assert response.status_code == 200
    assert response.context["new_token"] is None
    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_a_token_can_expire(confirmed, user, freeze_time):
    secret = make_token(confirmed, expires="30")
    assert ApiToken.objects.get().expiry.date() == datetime.date(2026, 12, 25)

    assert with_token(secret).get(ME).status_code == 200
    freeze_time("2026-12-25T12:00:01+00:00")
    assert with_token(secret).get(ME).status_code == 401


def test_a_request_reads_only_the_token_it_presents(client, user, freeze_time):
    create_token(user, "Trial", datetime.timedelta(days=30))
    _, secret = create_token(user, "Laptop", None)
    freeze_time("2026-12-26T12:00:00+00:00")

    with CaptureQueriesContext(connection) as queries:
        assert with_token(secret).get(ME).status_code == 200

    token_reads = [q for q in queries if q["sql"].startswith('SELECT "accounts_apitoken"')]
    assert len(token_reads) == 1
    client.force_login(user)
    assert "Trial Made 25 Nov 2026. Not used yet. Expired 25 Dec 2026." in words(client.get(TOKENS))


def test_the_page_says_what_revokes_every_token(signed_in):
    text = words(signed_in.get(TOKENS))

    assert (
        "A token stops working when it expires or when you revoke it. Changing or resetting "
        "your password, or signing out everywhere else, revokes all your tokens at once."
    ) in text


# Revoking -------------------------------------------------------------------------------------


def test_revoking_a_token_stops_it_at_once(signed_in, user):
    token, secret = create_token(user, "Old script")

    response = signed_in.post(f"/account/tokens/{token.digest}/revoke/")

    assert response.status_code == 302
    assert response.url == "/account/tokens/"
    assert not ApiToken.objects.exists()
    assert with_token(secret).get(ME).status_code == 401
    followed = signed_in.get(response.url)
    assert [str(m) for m in followed.context["messages"]] == [
        "Revoked “Old script”. Nothing can use it any more."
    ]


def test_another_persons_token_cannot_be_revoked(signed_in, other_user):
    token, secret = create_token(other_user, "Theirs")

    response = signed_in.post(f"/account/tokens/{token.digest}/revoke/")

    assert response.status_code == 404
    assert with_token(secret).get(ME).status_code == 200


def test_revoking_needs_a_post(signed_in, user):
    token, _ = create_token(user, "Script")

    assert signed_in.get(f"/account/tokens/{token.digest}/revoke/").status_code == 405
    assert ApiToken.objects.exists()


def test_the_list_shows_only_the_persons_own_tokens(signed_in, other_user):
    create_token(other_user, "Grace's phone")

    assert "Grace's phone" not in page(signed_in.get(TOKENS))


# Revoked with the password and the other sessions ----------------------------------------------


@pytest.fixture
def tokens_of_both(user, other_user) -> tuple[str, str]:
    """A working token of the person's, and one of someone else's."""
    return create_token(user, "Mine")[1], create_token(other_user, "Theirs")[1]


def test_changing_the_password_revokes_every_token(confirmed, tokens_of_both):
    mine, theirs = tokens_of_both
    create_token(ApiToken.objects.get(name="Mine").user, "Forever", None)

    response = confirmed.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert with_token(mine).get(ME).status_code == 401
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["Theirs"]
    assert with_token(theirs).get(ME).status_code == 200


def test_a_password_change_that_fails_revokes_nothing(confirmed, tokens_of_both):
    mine, _ = tokens_of_both

    confirmed.post(
        "/accounts/password/change/",
        {"oldpassword": "not my password", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert with_token(mine).get(ME).status_code == 200


def test_resetting_the_password_by_email_revokes_every_token(
    client, user, tokens_of_both, mailoutbox
):
    mine, theirs = tokens_of_both
    client.post("/accounts/password/reset/", {"email": user.email})
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mailoutbox[0].body)
    form_page = client.get(link[1], follow=True)

    client.post(
        form_page.request["PATH_INFO"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert with_token(mine).get(ME).status_code == 401
    assert with_token(theirs).get(ME).status_code == 200


def test_a_password_set_any_other_way_revokes_every_token_too(user, tokens_of_both):
    mine, theirs = tokens_of_both

    user.set_password(NEW_PASSWORD)  # as `manage.py changepassword` or a shell would
    user.save()

    assert with_token(mine).get(ME).status_code == 401
    assert with_token(theirs).get(ME).status_code == 200


def test_a_stronger_hash_of_the_same_password_revokes_nothing(user, tokens_of_both, settings):
    mine, _ = tokens_of_both
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        *settings.PASSWORD_HASHERS,  # the tests' fast one, which made the stored hash
    ]

    assert user.check_password(PASSWORD)  # upgrades the stored hash to the first hasher

    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$")
    assert with_token(mine).get(ME).status_code == 200


def test_signing_out_everywhere_else_revokes_every_token(signed_in, tokens_of_both):
    mine, theirs = tokens_of_both

    response = signed_in.post("/account/sessions/end-others/", follow=True)

    assert with_token(mine).get(ME).status_code == 401
    assert with_token(theirs).get(ME).status_code == 200
    assert (
        "You are now signed out everywhere except on this device. Your API tokens are revoked "
        "too: anything that used one needs a new one."
    ) in [str(message) for message in response.context["messages"]]


def test_signing_out_one_other_device_leaves_the_tokens(signed_in, user, tokens_of_both):
    mine, _ = tokens_of_both
    elsewhere = Client()
    elsewhere.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    session = user.usersession_set.exclude(session_key=signed_in.session.session_key).get()

    signed_in.post(f"/account/sessions/{session.pk}/end/")

    assert with_token(mine).get(ME).status_code == 200


def test_the_password_and_sessions_pages_say_they_revoke_the_tokens(client, user):
    Client().post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})

    password_page = words(client.get("/accounts/password/change/"))
    sessions_page = words(client.get("/accounts/sessions/"))

    assert "Changing your password also revokes all your API tokens" in password_page
    assert "Signing out everywhere else also revokes all your API tokens." in sessions_page


def test_the_privacy_page_says_when_tokens_stop_working(client, db):
    text = words(client.get("/privacy/"))

    assert "making an API token, exporting and deleting ask for your password" in text
    assert (
        "stop working after the time you choose when you make one (90 days unless you choose "
        "otherwise, never only if you say so). Changing or resetting your password, or signing "
        "out everywhere else, revokes them all at once."
    ) in text


@pytest.mark.parametrize(
    "header",
    ["Token {secret}", "Bearer", "Bearer {secret} extra", "Bearer {secret}x", "Bearer nothex!"],
)
def test_only_a_well_formed_bearer_header_with_a_real_token_works(user, header):
    _, secret = create_token(user, "Script")

    response = APIClient(HTTP_AUTHORIZATION=header.format(secret=secret)).get(ME)

    assert response.status_code == 401
    assert list(response.json()["errors"]) == ["detail"]
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_suspended_accounts_tokens_stop_working_at_once(user):
    _, secret = create_token(user, "Script")
    assert with_token(secret).get(ME).status_code == 200

    user.is_active = False
    user.save()

    response = with_token(secret).get(ME)
    assert response.status_code == 401
    assert response.json() == {"errors": {"detail": ["User inactive or deleted."]}}


def test_a_deleted_accounts_tokens_go_with_it(user):
    _, secret = create_token(user, "Script")

    user.delete()

    assert not ApiToken.objects.exists()
    assert with_token(secret).get(ME).status_code == 401


def test_last_used_is_noted_at_most_once_a_minute(user, freeze_time):
    token, secret = create_token(user, "Script")
    assert token.last_used is None

    with_token(secret).get(ME)
    token.refresh_from_db()
    assert token.last_used.isoformat() == "2026-11-25T12:00:00+00:00"

    freeze_time("2026-11-25T12:00:59+00:00")
    with_token(secret).get(ME)
    token.refresh_from_db()
    assert token.last_used.isoformat() == "2026-11-25T12:00:00+00:00"

    freeze_time("2026-11-25T12:01:00+00:00")
    with_token(secret).get(ME)
    token.refresh_from_db()
    assert token.last_used.isoformat() == "2026-11-25T12:01:00+00:00"


def test_the_management_command_prints_a_working_token(user):
    out = io.StringIO()

    call_command("create_api_token", "ADA@example.org", "--name", "CI", stdout=out)

    secret = out.getvalue().strip()
    assert ApiToken.objects.get(user=user).name == "CI"
    assert with_token(secret).get(ME).json()["email"] == "ada@example.org"


def test_the_management_command_records_the_token_on_the_security_page(user):
    call_command("create_api_token", user.email, "--name", "CI", stdout=io.StringIO())

    event = SecurityEvent.objects.get(user=user)
    assert event.kind == SecurityEvent.Kind.TOKEN_CREATED


def test_the_management_commands_token_expires_in_90_days_unless_told_never(user, other_user):
    call_command("create_api_token", user.email, "--name", "CI", stdout=io.StringIO())
    call_command(
        "create_api_token",
        other_user.email,
        "--name",
        "CI",
        "--never-expires",
        stdout=io.StringIO(),
    )

    assert ApiToken.objects.get(user=user).expiry.date() == datetime.date(2027, 2, 23)
    assert ApiToken.objects.get(user=other_user).expiry is None


def test_the_management_command_can_set_an_expiry(user):
    call_command(
        "create_api_token",
        user.email,
        "--name",
        "CI",
        "--expires-in-days",
        "7",
        stdout=io.StringIO(),
    )

    assert ApiToken.objects.get().expiry.date() == datetime.date(2026, 12, 2)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody@example.org", "--name", "CI"], "No account has that email address."),
        (["suspended@example.org", "--name", "CI"], "That account is suspended"),
        (["ada@example.org", "--name", "  "], "Give a name of 1 to 60 characters."),
        (["ada@example.org", "--name", "CI", "--expires-in-days", "0"], "must be 1 or more"),
        (
            ["ada@example.org", "--name", "CI", "--expires-in-days", "7", "--never-expires"],
            "not allowed with argument",
        ),
    ],
)
def test_the_management_command_refuses_what_would_not_work(user, args, message):
    UserFactory(email="suspended@example.org", is_active=False)

    with pytest.raises(CommandError, match=message):
        call_command("create_api_token", *args, stdout=io.StringIO())
    assert not ApiToken.objects.exists()
