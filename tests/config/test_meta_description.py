"""Every page has a meta description (search results and shared links show it): the landing
page describes Hearth; a signed-in page says a neutral sentence naming no health matter, like
its title, since it shows in bookmarks, history and link previews on a shared computer."""

import re

import pytest

from tests.pages import page

NEUTRAL = "Hearth: a private journal, kept for you alone."
HEALTH_WORDS = re.compile(
    r"autoimmune|arthritis|lupus|flare|symptom|medication|intima|sex|stress|sleep|pain",
    re.IGNORECASE,
)


def description(response) -> str:
    found = re.findall(r'<meta name="description" content="([^"]*)">', page(response))
    assert len(found) == 1, f"{len(found)} meta descriptions"
    return found[0]


@pytest.mark.django_db
def test_the_landing_page_describes_hearth(client):
    said = description(client.get("/"))

    assert said.startswith("Hearth is a private journal for people living with an autoimmune")
    assert 50 <= len(said) <= 220  # what search results show without cutting it


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/privacy/", "/accounts/login/", "/accounts/signup/"])
def test_pages_before_signing_in_describe_themselves_without_health_words(client, path):
    said = description(client.get(path))

    assert said
    assert not HEALTH_WORDS.search(said), said


@pytest.mark.parametrize(
    "path", ["/log/", "/history/", "/trends/", "/insights/", "/report/", "/account/profile/"]
)
def test_signed_in_pages_say_a_neutral_sentence(signed_in, path):
    said = description(signed_in.get(path))

    assert said == NEUTRAL
    assert not HEALTH_WORDS.search(said)
