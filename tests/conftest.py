import pytest

from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


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
