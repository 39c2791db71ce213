"""Deleting an account from the admin: a reason, the email typed out, the person's own deletion."""

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from accounts import erasure
from accounts.models import ApiToken, ModerationAction, User
from accounts.tokens import create_token
from portability import deletion
from tests.conftest import sign_in_with_second_factor
from tests.factories import DailyEntryFactory, MedicationFactory, SymptomFactory, UserFactory
from tests.pages import page, words
from tracker.models import DailyEntry, Medication, Symptom

USERS = "/" + settings.ADMIN_URL + "accounts/user/"
REASON = "Asked by email to delete everything; identity checked."


def delete(client: Client, *people, confirm_email: str, reason: str = REASON):
    return client.post(
        USERS,
        {
            "action": "delete_account",
            "_selected_action": [person.pk for person in people],
            "apply": "1",
            "reason": reason,
            "confirm_email": confirm_email,
        },
        follow=True,
    )


def test_deleting_first_asks_for_a_reason_and_the_typed_email(moderating, user):
    response = moderating.post(USERS, {"action": "delete_account", "_selected_action": [user.pk]})

    assert response.status_code == 200
    assert 'name="reason"' in page(response)
    assert 'name="confirm_email"' in page(response)
    assert "Type the account's email address to confirm" in words(response)
    assert User.objects.filter(pk=user.pk).exists()


def test_the_account_and_every_record_go_and_the_log_line_stays(moderating, moderator, user):
    entry = DailyEntryFactory(user=user, notes="A note.")
    entry.symptoms.add(SymptomFactory(owner=user))
    MedicationFactory(user=user)
    create_token(user, "phone")
    theirs = Client()
    theirs.force_login(user)
    user_id, email = user.pk, user.email

    response = delete(moderating, user, confirm_email=email)

    assert "The account and all its records are deleted." in words(response)
    assert not User.objects.filter(pk=user_id).exists()
    assert not DailyEntry.objects.filter(user_id=user_id).exists()
    assert not Symptom.objects.filter(owner_id=user_id).exists()
    assert not Medication.objects.filter(user_id=user_id).exists()
    assert not ApiToken.objects.filter(user_id=user_id).exists()
    assert theirs.get("/log/").status_code == 302
    line = ModerationAction.objects.get()
    assert (line.action, line.moderator, line.target) == ("delete_account", moderator, None)
    assert (line.target_email, line.target_id_at_time, line.reason) == (email, user_id, REASON)


def test_it_is_the_same_deletion_as_the_persons_own(moderating, user, monkeypatch):
    deleted = []
    monkeypatch.setattr("accounts.erasure._eraser", deleted.append)

    delete(moderating, user, confirm_email=user.email)

    assert deleted == [user]


def test_the_deletion_moderation_calls_is_the_one_portability_registers():
    assert erasure._eraser is deletion.delete_account


def test_without_a_registered_deletion_nothing_is_deleted(user, monkeypatch):
    monkeypatch.setattr("accounts.erasure._eraser", None)

    with pytest.raises(ImproperlyConfigured):
        erasure.erase_account(user)

    assert User.objects.filter(pk=user.pk).exists()


def test_a_wrong_email_deletes_nothing_and_keeps_the_reason(moderating, user, other_user):
    response = delete(moderating, user, confirm_email=other_user.email)

    assert User.objects.filter(pk=user.pk).exists()
    assert not ModerationAction.objects.exists()
    text = words(response)
    assert "That is not this account's email address" in text
    assert "Nothing was deleted" in text
    assert REASON in page(response)


def test_the_typed_email_may_differ_in_case_and_spaces(moderating, user):
    delete(moderating, user, confirm_email=f"  {user.email.upper()} ")

    assert not User.objects.filter(pk=user.pk).exists()


def test_without_a_reason_nothing_is_deleted(moderating, user):
    response = delete(moderating, user, confirm_email=user.email, reason="")

    assert User.objects.filter(pk=user.pk).exists()
    assert "This field is required." in words(response)


def test_accounts_are_deleted_one_at_a_time(moderating, user, other_user):
    response = delete(moderating, user, other_user, confirm_email=user.email)

    assert "Select exactly one account" in words(response)
    assert User.objects.filter(pk__in=[user.pk, other_user.pk]).count() == 2


def test_staff_accounts_are_not_deleted_from_the_admin(client, operator, moderator):
    sign_in_with_second_factor(client, operator)

    response = delete(client, moderator, confirm_email=moderator.email)

    assert "Staff accounts are not deleted here" in words(response)
    assert User.objects.filter(pk=moderator.pk).exists()
    assert not ModerationAction.objects.exists()


def test_another_persons_records_are_untouched(moderating, user, other_user):
    DailyEntryFactory(user=other_user)
    bystander = UserFactory()

    delete(moderating, user, confirm_email=user.email)

    assert DailyEntry.objects.filter(user=other_user).count() == 1
    assert User.objects.filter(pk__in=[other_user.pk, bystander.pk]).count() == 2
