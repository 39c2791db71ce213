"""Two-factor sign-in: authenticator app codes, single-use recovery codes, re-authentication."""

import re
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    generate_totp_secret,
)
from cryptography.fernet import Fernet
from django.core.management import call_command

from tests.conftest import PASSWORD
from tests.factories import totp_code
from tests.pages import words


def sign_in(client, user, password: str = PASSWORD):
    return client.post("/accounts/login/", {"login": user.email, "password": password})


def enter_password_again(client) -> None:
    """Enter the password again, as Hearth asks before sensitive changes."""
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302


def is_signed_in_as(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


@pytest.fixture
def secret(user) -> str:
    """The person has turned on an authenticator app (and so has recovery codes)."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


@pytest.fixture
def recovery_codes(user, secret) -> list[str]:
    return RecoveryCodes(
        Authenticator.objects.get(user=user, type="recovery_codes")
    ).generate_codes()


@pytest.mark.django_db
def test_a_password_alone_does_not_sign_in_a_person_with_two_factor_on(client, user, secret):
    response = sign_in(client, user)

    assert response.status_code == 302
    assert response.url == "/accounts/2fa/authenticate/"
    assert not is_signed_in_as(client, user)
    assert client.get("/log/").status_code == 302


@pytest.mark.django_db
def test_the_code_from_the_authenticator_app_completes_sign_in(client, user, secret):
    sign_in(client, user)

    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})

    assert response.status_code == 302
    assert response.url == "/log/"
    assert is_signed_in_as(client, user)


@pytest.mark.django_db
def test_a_wrong_code_is_refused_with_a_message(client, user, secret):
    sign_in(client, user)
    wrong = f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"

    response = client.post("/accounts/2fa/authenticate/", {"code": wrong})

    assert response.status_code == 200
    assert "Incorrect code" in words(response)
    assert not is_signed_in_as(client, user)


@pytest.mark.django_db
def test_a_code_cannot_be_replayed(client, user, secret):
    code = totp_code(secret)
    sign_in(client, user)
    client.post("/accounts/2fa/authenticate/", {"code": code})
    client.post("/accounts/logout/")

    sign_in(client, user)
    response = client.post("/accounts/2fa/authenticate/", {"code": code})

    assert response.status_code == 200
    assert not is_signed_in_as(client, user)


@pytest.mark.django_db
def test_a_recovery_code_signs_in_once_only(client, user, recovery_codes):
    code = recovery_codes[0]
    sign_in(client, user)
    assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    assert is_signed_in_as(client, user)
    client.post("/accounts/logout/")

    sign_in(client, user)
    response = client.post("/accounts/2fa/authenticate/", {"code": code})

    assert response.status_code == 200
    assert not is_signed_in_as(client, user)
    # The other codes still work.
    assert (
        client.post("/accounts/2fa/authenticate/", {"code": recovery_codes[1]}).status_code == 302
    )


@pytest.mark.django_db
def test_turning_on_the_authenticator_app_needs_a_code_from_it(client, user):
    client.force_login(user)
    enter_password_again(client)
    setup = client.get("/accounts/2fa/totp/activate/")
    text = setup.content.decode()
    # The QR code is inline SVG, so the strict Content-Security-Policy needs no data: images.
    assert '<svg role="img" aria-label="QR code of your authenticator key"' in text
    assert "data:image" not in text
    secret = re.search(r'id="authenticator-secret">(\w+)<', text)[1]

    refused = client.post("/accounts/2fa/totp/activate/", {"code": "000000"})
    assert refused.status_code == 200
    assert not Authenticator.objects.filter(user=user).exists()

    accepted = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})

    assert accepted.status_code == 302
    assert set(Authenticator.objects.filter(user=user).values_list("type", flat=True)) == {
        "totp",
        "recovery_codes",
    }


@pytest.mark.django_db
def test_the_two_factor_page_says_what_is_on_in_plain_words(client, user, secret):
    client.force_login(user)

    text = words(client.get("/accounts/2fa/"))

    assert "On: Hearth asks for a code after your password." in text
    assert "10 of 10 codes are still unused." in text
    assert "No passkey yet." in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/accounts/2fa/totp/deactivate/",
        "/accounts/2fa/recovery-codes/",
        "/accounts/2fa/recovery-codes/generate/",
        "/accounts/2fa/webauthn/add/",
    ],
)
def test_sensitive_account_changes_ask_for_the_password_again(client, user, secret, path):
    # A session that did not just sign in (force_login records no recent authentication).
    client.force_login(user)

    response = client.get(path)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/reauthenticate/") or response.url.startswith(
        "/accounts/2fa/reauthenticate/"
    )


@pytest.mark.django_db
def test_changing_the_email_address_asks_for_the_password_again(client, user):
    client.force_login(user)
    change = {"action_add": "", "email": "new.address@example.org"}

    asked = client.post("/accounts/email/", change)

    assert asked.status_code == 302
    assert asked.url.startswith("/accounts/reauthenticate/")
    assert not user.emailaddress_set.filter(email="new.address@example.org").exists()

    enter_password_again(client)
    assert client.post("/accounts/email/", change).status_code == 302
    assert user.emailaddress_set.filter(email="new.address@example.org").exists()


@pytest.mark.django_db
def test_changing_the_password_needs_the_current_one(client, user):
    client.force_login(user)
    new = "a different long passphrase"

    refused = client.post(
        "/accounts/password/change/",
        {"oldpassword": "not my password", "password1": new, "password2": new},
    )

    assert refused.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.django_db
def test_turning_off_the_authenticator_app_removes_it_after_re_authentication(client, user, secret):
    sign_in(client, user)
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    # Signing in is not enough: turning protection off needs the password again.
    assert client.post("/accounts/2fa/totp/deactivate/").status_code == 302
    assert Authenticator.objects.filter(user=user, type="totp").exists()
    enter_password_again(client)

    response = client.post("/accounts/2fa/totp/deactivate/")

    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=user, type="totp").exists()


@pytest.mark.django_db
def test_another_persons_two_factor_settings_are_never_shown(client, user, other_user, secret):
    client.force_login(other_user)

    text = words(client.get("/accounts/2fa/"))

    assert "Off." in text
    assert "codes are still unused" not in text


@pytest.mark.django_db
def test_the_authenticator_secret_is_stored_encrypted(user, secret):
    stored = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"]

    assert secret not in stored
    assert stored.startswith("gAAAAA")


@pytest.mark.django_db
def test_rotating_the_keys_keeps_authenticator_apps_working(client, settings, user):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.NOTES_ENCRYPTION_KEYS = [old_key]
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    settings.NOTES_ENCRYPTION_KEYS = [new_key, old_key]

    output = StringIO()
    call_command("rotate_notes_key", stdout=output)
    settings.NOTES_ENCRYPTION_KEYS = [new_key]  # the old key is gone

    assert "Rotated 1 authenticator-app secrets" in output.getvalue()
    sign_in(client, user)
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert is_signed_in_as(client, user)
