import datetime
import time
from importlib import import_module

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.usersessions.models import UserSession
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client

from tests.factories import TotpAuthenticatorFactory, UserFactory

PASSWORD = "correct horse battery staple"
# Noon in London on Wednesday 25 November 2026: "now" and "today" wherever the clock is stopped.
NOW = "2026-11-25T12:00:00+00:00"
TODAY = datetime.date(2026, 11, 25)
# Which person the session's sign-in records belong to (allauth keeps no public name for it).
AUTHENTICATION_METHODS_USER_SESSION_KEY = "account_authentication_methods_user"


@pytest.fixture(autouse=True)
def fresh_cache():
    """Cached summaries and throttle counts live in the cache: every test starts without any."""
    cache.clear()
    yield
    cache.clear()


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
def moderator(db):
    """Staff in the Moderators group, with two-factor on as the admin requires."""
    person = UserFactory(email="mod@example.org", is_staff=True)
    person.groups.add(Group.objects.get(name="Moderators"))
    TotpAuthenticatorFactory(user=person)
    return person


def remember_authentication(client: Client, person, *records: dict) -> None:
    """Write the session's record of how the person proved who they are, as allauth keeps it
    (allauth.account.internal.flows.login): re-authentication and the admin's two-factor
    check read it."""
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = list(records)
    session[AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(person.pk)
    session.save()


def reauthenticate(client: Client, person, seconds_ago: float = 0) -> None:
    """The signed-in person confirmed their password seconds_ago."""
    at = time.time() - seconds_ago
    remember_authentication(
        client, person, {"method": "password", "at": at, "reauthenticated": True}
    )


def record_session(client: Client, person) -> Client:
    """allauth's record of the client's session (allauth.usersessions), as every sign-in through
    Hearth's pages writes it: signing a person out everywhere finds their sessions through these
    records, and force_login alone writes none."""
    UserSession.objects.create(
        user=person, session_key=client.session.session_key, ip="127.0.0.1", user_agent="Test"
    )
    return client


def sign_in_with_second_factor(client: Client, person) -> Client:
    """Sign in as if through the password and the authenticator app, as the admin requires."""
    client.force_login(person)
    remember_authentication(
        client,
        person,
        {"method": "password", "at": time.time(), "email": person.email},
        {"method": "mfa", "at": time.time(), "type": "totp"},
    )
    return client


@pytest.fixture
def moderating(moderator):
    """A browser session signed in as the moderator, with their second factor."""
    return sign_in_with_second_factor(Client(), moderator)


@pytest.fixture
def operator(db):
    """A superuser, with two-factor on as the admin requires."""
    person = UserFactory(email="operator@example.org", is_staff=True, is_superuser=True)
    TotpAuthenticatorFactory(user=person)
    return person


@pytest.fixture
def freeze_time(time_machine):
    """Stop the clock at an instant ("2026-11-25T11:30:00+00:00"); call again to move it.
    time-machine stops every clock (Django's, datetime's, time.time()), so sessions, signatures
    and rate limits agree with the pages; the browser tests (live server) never stop it."""

    def freeze(instant: str | datetime.datetime) -> datetime.datetime:
        if isinstance(instant, str):
            instant = datetime.datetime.fromisoformat(instant)
        time_machine.move_to(instant, tick=False)
        return instant

    return freeze


@pytest.fixture
def clock(freeze_time) -> datetime.datetime:
    """The clock stopped at NOW. A module whose every test needs it says
    `pytestmark = pytest.mark.usefixtures("clock")`; a test that needs another instant calls
    freeze_time with it."""
    return freeze_time(NOW)


def load_migration_data() -> None:
    """Put back what migrating makes (content types, permissions, the shared catalogues and the
    Moderators group) if a transactional test emptied the tables: those flush every table when
    they finish, and the database tests pytest-django runs after them would find none."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.management import create_contenttypes

    from accounts.models import Condition
    from tracker.models import IntimacyBarrier

    moderators = import_module("accounts.migrations.0006_moderators_group")
    if (
        Condition.objects.exists()
        and IntimacyBarrier.objects.exists()
        and Group.objects.filter(name="Moderators").exists()
    ):
        return
    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0)
        create_permissions(app_config, verbosity=0)
    import_module("accounts.migrations.0002_conditions_catalogue").load_conditions(apps, None)
    import_module("tracker.migrations.0002_catalogues").load_catalogues(apps, None)
    import_module("tracker.migrations.0008_intimate_symptoms").mark_intimate_symptoms(apps, None)
    group, _ = Group.objects.get_or_create(name="Moderators")
    group.permissions.set(
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in moderators.MODERATOR_PERMISSIONS
    )


@pytest.fixture(autouse=True)
def migration_data(request):
    """Every database test starts with the data the migrations load, whatever ran before it."""
    marker = request.node.get_closest_marker("django_db")
    fixtures = set(request.fixturenames)
    if marker is None and not fixtures & {"db", "transactional_db"}:
        return
    transactional = "transactional_db" in fixtures or (
        marker is not None and marker.kwargs.get("transaction", False)
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    load_migration_data()


@pytest.fixture
def catalogues(transactional_db):
    """For transactional tests that name what they need (migration_data loads it anyway)."""
    load_migration_data()
