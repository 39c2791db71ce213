"""Personal access tokens: made and revoked on /account/tokens/, stored only as a hash, sent as
`Authorization: Bearer <token>`, and dead the moment an account is suspended or deleted."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from knox.crypto import hash_token
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.tokens import create_token
from tests.api.conftest import NOW
from tests.factories import UserFactory
from tests.pages import page

ME = "/api/v1/me/"


@pytest.fixture(autouse=True)
def clock(freeze_time):
    return freeze_time(NOW)


def with_token(secret: str, prefix: str = "Bearer") -> APIClient:
    return APIClient(HTTP_AUTHORIZATION=f"{prefix} {secret}")


def test_the_tokens_page_needs_a_signed_in_person(client, db):
    response = client.get("/account/tokens/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_the_profile_page_links_to_the_tokens_page(signed_in):
    assert 'href="/account/tokens/"' in page(signed_in.get("/account/profile/"))


def test_making_a_token_shows_its_secret_once_and_stores_only_its_hash(signed_in, user):
    response = signed_in.post("/account/tokens/", {"name": "  Phone   shortcut ", "expires": ""})

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=user)
    assert token.name == "Phone shortcut"
    assert token.expiry is None
    secret = response.context["secret"]
    assert f'value="{secret}"' in page(response)
    assert "Copy it now: it will not be shown again." in page(response)
    assert token.digest == hash_token(secret)
    stored = [str(value) for value in ApiToken.objects.filter(user=user).values().get().values()]
    assert secret not in stored

    listed = page(signed_in.get("/account/tokens/"))
    assert secret not in listed
    assert "Phone shortcut" in listed


def test_the_secret_works_as_a_bearer_token(signed_in, user):
    response = signed_in.post("/account/tokens/", {"name": "Script"})

    me = with_token(response.context["secret"]).get(ME)

    assert me.status_code == 200
    assert me.json()["email"] == user.email


def test_the_list_shows_name_created_last_used_and_expiry(signed_in, user, freeze_time):
    create_token(user, "Laptop")
    _, secret = create_token(user, "Shortcut", datetime.timedelta(days=30))
    freeze_time("2026-11-26T08:15:00+00:00")
    with_token(secret).get(ME)

    text = " ".join(page(signed_in.get("/account/tokens/")).split())

    shortcut = "<td>25 Nov 2026</td> <td>26 Nov 2026, 08:15</td> <td>25 Dec 2026</td>"
    assert f'<th scope="row">Shortcut</th> {shortcut}' in text
    laptop = "<td>25 Nov 2026</td> <td>Never</td> <td>Never</td>"
    assert f'<th scope="row">Laptop</th> {laptop}' in text


@pytest.mark.parametrize("name", ["", "   ", "x" * 61])
def test_a_token_needs_a_name(signed_in, user, name):
    response = signed_in.post("/account/tokens/", {"name": name})

    assert response.status_code == 200
    assert response.context["secret"] is None
    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_a_token_can_expire(signed_in, user, freeze_time):
    response = signed_in.post("/account/tokens/", {"name": "Trial", "expires": "30"})
    secret = response.context["secret"]
    assert ApiToken.objects.get().expiry.date() == datetime.date(2026, 12, 25)

    assert with_token(secret).get(ME).status_code == 200
    freeze_time("2026-12-25T12:00:01+00:00")
    assert with_token(secret).get(ME).status_code == 401


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

    assert "Grace's phone" not in page(signed_in.get("/account/tokens/"))


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
    ],
)
def test_the_management_command_refuses_what_would_not_work(user, args, message):
    UserFactory(email="suspended@example.org", is_active=False)

    with pytest.raises(CommandError, match=message):
        call_command("create_api_token", *args, stdout=io.StringIO())
    assert not ApiToken.objects.exists()
