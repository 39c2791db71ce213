import datetime

import pytest
from django.utils import timezone

from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hash test passwords with a fast algorithm: the default one takes half a second each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def user(db):
    return UserFactory(email="ada@example.org")


@pytest.fixture
def other_user(db):
    return UserFactory(email="grace@example.org")


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def freeze_time(monkeypatch):
    """Stop Django's clock at an instant ("2026-11-25T11:30:00+00:00"); call again to move it."""

    def freeze(instant: str | datetime.datetime) -> datetime.datetime:
        if isinstance(instant, str):
            instant = datetime.datetime.fromisoformat(instant)
        monkeypatch.setattr(timezone, "now", lambda: instant)
        return instant

    return freeze
