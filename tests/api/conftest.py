import pytest
from rest_framework.test import APIClient

from accounts.tokens import create_token


@pytest.fixture(autouse=True)
def no_static_scan(settings):
    """WhiteNoise otherwise walks STATIC_ROOT (if someone ran collectstatic) every time a test
    client starts; these tests never fetch static files, so let it look them up lazily."""
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture
def token_for(db):
    """Makes a token for a person and returns its secret."""

    def make(user, name: str = "Script") -> str:
        return create_token(user, name)[1]

    return make


@pytest.fixture
def bearer(token_for):
    """A new API client sending a fresh token of the given person."""

    def client_for(user) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
        return client

    return client_for


@pytest.fixture
def owner(bearer, user) -> APIClient:
    return bearer(user)
