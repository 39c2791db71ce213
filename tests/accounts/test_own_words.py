"""The sign-in and confirm-it's-you pages speak Hearth's words, not allauth's ("Sign In",
"Confirm Access", "reauthenticate")."""

import re

import pytest

from tests.pages import page

ALLAUTH_WORDS = ["Sign In", "Sign Up", "Sign Out", "Confirm Access", "reauthenticate", "Signup"]


def visible(response) -> str:
    """The title and body text, without tags (so URLs such as /accounts/reauthenticate/ in
    links and forms do not count)."""
    html = page(response)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", page(response), flags=re.S)[1].strip()


def heading(response) -> str:
    return re.sub(
        r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", page(response), re.S)[1]
    ).strip()


def buttons(response) -> list[str]:
    return [
        " ".join(re.sub(r"<[^>]+>", "", text).split())
        for text in re.findall(r"<button[^>]*>(.*?)</button>", page(response), flags=re.S)
    ]


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/accounts/login/", "Sign in"),
        ("/accounts/signup/", "Sign up"),
    ],
)
def test_entrance_pages_use_hearths_words(client, db, path, words):
    response = client.get(path)

    assert title(response) == f"{words} · Hearth"
    assert heading(response) == words
    assert words in buttons(response)
    for allauth_word in ALLAUTH_WORDS:
        assert allauth_word not in visible(response), allauth_word


def test_confirming_it_is_you_uses_hearths_words(signed_in):
    response = signed_in.get("/accounts/reauthenticate/")

    assert title(response) == "Confirm it's you · Hearth"
    assert heading(response) == "Confirm it's you"
    assert "Confirm" in buttons(response)
    for allauth_word in ALLAUTH_WORDS:
        assert allauth_word not in visible(response), allauth_word


def test_signing_out_uses_hearths_words(signed_in):
    response = signed_in.get("/accounts/logout/")

    assert title(response) == "Sign out · Hearth"
    assert heading(response) == "Sign out"
    assert "Sign Out" not in visible(response)
