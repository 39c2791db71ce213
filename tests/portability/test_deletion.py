"""/account/delete/ and deletion.delete_account: the person, every row of theirs in every
model, and every session and token of theirs, gone; nobody else's records touched."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts import security
from accounts.models import Condition, ModerationAction, PushSubscription, SecurityEvent, User
from accounts.tokens import create_token
from portability import deletion
from portability.models import ImportJob
from reminders.models import Delivery
from sharing.models import ShareLink
from tests.conftest import PASSWORD, reauthenticate, record_session
from tests.factories import DailyEntryFactory, MedicationFactory, SymptomFactory
from tests.pages import words
from tracker.models import DailyEntry, IntimacyBarrier, Symptom

URL = "/account/delete/"
ONE_DAY = datetime.timedelta(days=1)

# Foreign keys to a person that deliberately outlive them. The moderation log keeps its lines
# (with a copy of the email and id, never health data) so it still says whom an action was
# about; the links themselves become empty. Anything else must cascade.
OUTLIVES_THE_PERSON = {
    ("accounts.ModerationAction", "moderator"),
    ("accounts.ModerationAction", "target"),
}


def links_to_people() -> list[tuple[type[models.Model], models.Field]]:
    """Every foreign key to a person in every installed model, including the tables behind
    many-to-many fields (a person's conditions, groups and permissions)."""
    return [
        (model, field)
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.get_fields(include_hidden=True)
        if field.concrete
        and (field.many_to_one or field.one_to_one)
        and field.related_model is User
    ]


def rows_referencing(person_id: int) -> dict[str, int]:
    return {
        f"{model._meta.label}.{field.name}": model._base_manager.filter(
            **{field.attname: person_id}
        ).count()
        for model, field in links_to_people()
    }


def sessions_signing_in(person_id: int) -> list[str]:
    return [
        session.session_key
        for session in Session.objects.all()
        if session.get_decoded().get(SESSION_KEY) == str(person_id)
    ]


def signed_in_client(person: User) -> Client:
    """A browser signed in as person, with allauth's record of the session as a sign-in through
    the login page writes it."""
    client = Client()
    client.force_login(person)
    return record_session(client, person)


@pytest.fixture
def person(user, other_user) -> User:
    """Someone with a row in every model that can point at a person."""
    user.conditions.set(Condition.objects.filter(slug="lupus"))
    user.groups.add(Group.objects.get(name="Moderators"))
    user.user_permissions.add(Permission.objects.get(codename="view_user"))
    own = SymptomFactory(owner=user, name="Hives")
    entry = DailyEntryFactory(user=user, day=datetime.date(2026, 11, 20), notes="private")
    entry.symptoms.set([own])
    entry.intimacy_barriers.set(IntimacyBarrier.objects.filter(slug="pain"))
    MedicationFactory(user=user)
    create_token(user, "Phone")
    ShareLink.objects.create_for(
        user, start=entry.day, end=entry.day, expires_in=datetime.timedelta(days=30)
    )
    Delivery.objects.create(person=user, kind=Delivery.Kind.CHECK_IN, local_date=entry.day)
    PushSubscription.objects.create(
        user=user, endpoint="https://push.example/ada", p256dh="key", auth="secret", device="Phone"
    )
    security.record(None, user, SecurityEvent.Kind.LOGIN)
    ImportJob.objects.create(owner=user, kind="csv", overwrite=False, file_text="day\r\n")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(other_user.pk),
        object_repr=other_user.email,
        action_flag=ADDITION,
    )
    for moderator, target in ((user, other_user), (other_user, user)):
        ModerationAction.objects.create(
            moderator=moderator,
            target=target,
            target_email=target.email,
            target_id_at_time=target.pk,
            action=ModerationAction.Action.SUSPEND,
            reason="Reported twice.",
        )
    return user


@pytest.fixture
def others_records(other_user):
    """The other person's records, which a deletion must leave exactly as they were."""
    entry = DailyEntryFactory(user=other_user, day=datetime.date(2026, 11, 20), stress=3)
    entry.symptoms.set([SymptomFactory(owner=other_user, name="Night sweats")])
    MedicationFactory(user=other_user)
    return other_user


def snapshot(person: User) -> dict:
    return {
        "entries": list(DailyEntry.objects.for_user(person).values()),
        "symptoms": list(Symptom.objects.owned_by(person).values()),
        "tagged": list(
            DailyEntry.symptoms.through.objects.filter(dailyentry__user=person).values()
        ),
        "medications": list(person.medications.values()),
    }


def test_every_link_to_a_person_cascades_unless_it_is_meant_to_outlive_them(db):
    not_cascading = {
        (model._meta.label, field.name)
        for model, field in links_to_people()
        if field.remote_field.on_delete is not models.CASCADE
    }

    assert not_cascading == OUTLIVES_THE_PERSON


def test_deleting_an_account_leaves_no_row_of_theirs_in_any_model(person, others_records):
    person_id = person.pk
    devices = [signed_in_client(person), signed_in_client(person)]
    before = rows_referencing(person_id)
    others_before = snapshot(others_records)
    # The fixture must give the person a row in every model that can point at them, so this
    # test covers a model as soon as someone adds one.
    assert [link for link, count in before.items() if count == 0] == []
    assert len(sessions_signing_in(person_id)) == len(devices)

    deletion.delete_account(person)

    assert not User.objects.filter(pk=person_id).exists()
    assert rows_referencing(person_id) == dict.fromkeys(before, 0)
    assert sessions_signing_in(person_id) == []
    assert snapshot(others_records) == others_before
    # The moderation log keeps its lines, with the copy of whom they were about.
    assert ModerationAction.objects.filter(target_id_at_time=person_id).get().target is None
    assert ModerationAction.objects.filter(moderator=None).count() == 1


def test_a_session_started_on_the_sign_in_page_ends_with_the_account(user):
    # Deletion finds a person's sessions through the record allauth writes at each sign-in.
    browser = Client()
    browser.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    person_id = user.pk
    assert sessions_signing_in(person_id) != []

    deletion.delete_account(user)

    assert sessions_signing_in(person_id) == []
    assert browser.get("/log/").url.startswith("/accounts/login/")


@pytest.fixture
def confirmed(signed_in, user):
    reauthenticate(signed_in, user)
    return signed_in


def test_anonymous_people_are_sent_to_sign_in(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_password_must_have_been_confirmed_recently(signed_in, user, method):
    response = getattr(signed_in, method)(URL, {"confirmation": "DELETE"})

    assert response.status_code == 302
    assert response.url.startswith("/accounts/reauthenticate/")
    assert User.objects.filter(pk=user.pk).exists()


def test_the_page_says_what_goes_offers_an_export_and_names_the_word_to_type(confirmed, person):
    response = confirmed.get(URL)

    text = words(response)
    assert "Your 1 logged day, with their symptoms, barriers and notes" in text
    assert "Your 1 API token (they stop working at once)" in text
    assert "type the word DELETE in the box" in text
    assert 'href="/account/data/"' in response.content.decode()
    assert (
        '<label for="id_confirmation">Type DELETE to confirm</label>' in response.content.decode()
    )


@pytest.mark.parametrize("typed", ["", "delete my account", "DELET", "ada@example.org"])
def test_anything_but_the_word_deletes_nothing(confirmed, person, typed):
    response = confirmed.post(URL, {"confirmation": typed})

    assert response.status_code == 200
    assert "Nothing was deleted." in words(response)
    assert User.objects.filter(pk=person.pk).exists()
    assert DailyEntry.objects.for_user(person).exists()


def test_deleting_signs_out_everywhere_revokes_tokens_and_confirms(
    confirmed, person, others_records
):
    elsewhere = signed_in_client(person)
    token = APIClient()
    token.credentials(HTTP_AUTHORIZATION=f"Bearer {create_token(person, 'Script')[1]}")
    others_before = snapshot(others_records)

    response = confirmed.post(URL, {"confirmation": " delete "}, follow=True)

    assert response.redirect_chain == [("/account/deleted/", 302)]
    assert "Your account is deleted" in words(response)
    assert not response.context["user"].is_authenticated
    assert not User.objects.filter(email="ada@example.org").exists()
    for client in (confirmed, elsewhere):
        assert client.get("/log/").url.startswith("/accounts/login/")
    assert token.get("/api/v1/entries/").status_code == 401
    assert snapshot(others_records) == others_before


def test_the_same_email_can_sign_up_again_afterwards_with_nothing_left(confirmed, person):
    confirmed.post(URL, {"confirmation": "DELETE"})

    again = User.objects.create_user("ada@example.org", "another long password")

    assert not DailyEntry.objects.for_user(again).exists()
    assert not Symptom.objects.owned_by(again).exists()


def test_deleting_takes_as_many_queries_for_two_months_as_for_three_days(db):
    def queries_to_delete(days_logged: int) -> int:
        person = User.objects.create_user(email=f"days{days_logged}@example.org", password="x")
        for offset in range(days_logged):
            DailyEntryFactory(user=person, day=datetime.date(2026, 1, 1) + offset * ONE_DAY)
        MedicationFactory(user=person)
        with CaptureQueriesContext(connection) as queries:
            deletion.delete_account(person)
        assert not DailyEntry.objects.filter(user_id=person.pk).exists()
        return len(queries)

    assert queries_to_delete(60) == queries_to_delete(3)


def test_deleting_one_day_still_marks_the_persons_summaries_stale(person):
    entry = DailyEntry.objects.filter(user=person).first()
    before = User.objects.get(pk=person.pk).data_version

    entry.delete()

    assert User.objects.get(pk=person.pk).data_version != before
