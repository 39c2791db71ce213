"""The moderation admin: actions with a reason, the append-only log, and no health data."""

import itertools
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from rest_framework.test import APIClient

from accounts.admin import UserAdmin
from accounts.models import ApiToken, ModerationAction
from accounts.tokens import create_token
from tests.conftest import PASSWORD, record_session, sign_in_with_second_factor
from tests.factories import DailyEntryFactory, MedicationFactory, SymptomFactory, UserFactory
from tests.pages import page, words

ADMIN = "/" + settings.ADMIN_URL
USERS = ADMIN + "accounts/user/"
LOG = ADMIN + "accounts/moderationaction/"
DASHBOARD = ADMIN + "dashboard/"
ACTIONS = UserAdmin.actions


def act(client, action: str, *people, reason: str = "Spam sign-up, reported twice."):
    data = {"action": action, "_selected_action": [p.pk for p in people], "apply": "1"}
    if reason is not None:
        data["reason"] = reason
    return client.post(USERS, data)


def signed_in_client(person) -> Client:
    return record_session(sign_in_with_second_factor(Client(), person), person)


@pytest.fixture
def operating(operator) -> Client:
    """A browser session signed in as the operator (a superuser), with their second factor."""
    return sign_in_with_second_factor(Client(), operator)


def test_the_moderators_group_holds_exactly_what_moderation_needs(db):
    codenames = set(
        Group.objects.get(name="Moderators").permissions.values_list("codename", flat=True)
    )

    assert codenames == {"view_user", "change_user", "view_moderationaction"}


def test_an_action_first_asks_for_a_reason(moderating, user):
    response = moderating.post(USERS, {"action": "suspend_accounts", "_selected_action": [user.pk]})

    assert response.status_code == 200
    assert 'name="reason"' in page(response)
    assert user.email in page(response)
    user.refresh_from_db()
    assert user.is_active
    assert not ModerationAction.objects.exists()


def test_without_a_reason_nothing_is_done(moderating, user):
    response = act(moderating, "suspend_accounts", user, reason="")

    assert response.status_code == 200
    assert "Give a reason: nothing was done." in page(response)
    user.refresh_from_db()
    assert user.is_active
    assert not ModerationAction.objects.exists()


def test_suspending_ends_sessions_and_tokens_and_is_logged(moderating, moderator, user, other_user):
    theirs = signed_in_client(user)
    bystander = signed_in_client(other_user)
    create_token(user, "phone")

    response = act(moderating, "suspend_accounts", user)

    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    assert theirs.get("/log/").status_code == 302
    assert bystander.get("/log/").status_code == 200
    assert not ApiToken.objects.filter(user=user).exists()
    line = ModerationAction.objects.get()
    assert (line.action, line.target, line.moderator) == ("suspend", user, moderator)
    assert (line.target_email, line.target_id_at_time) == (user.email, user.pk)
    assert line.reason == "Spam sign-up, reported twice."


def test_reactivating_lets_the_person_back_in_and_is_logged(moderating, user):
    user.is_active = False
    user.save()

    act(moderating, "reactivate_accounts", user, reason="Appeal accepted.")

    user.refresh_from_db()
    assert user.is_active
    assert ModerationAction.objects.get().action == "reactivate"


def test_ending_all_sessions_signs_the_person_out_everywhere(moderating, user):
    laptop, phone = signed_in_client(user), signed_in_client(user)

    act(moderating, "end_all_sessions", user, reason="Asked to, lost a phone.")

    assert laptop.get("/log/").status_code == 302
    assert phone.get("/log/").status_code == 302
    user.refresh_from_db()
    assert user.is_active
    assert ModerationAction.objects.get().action == "end_sessions"


def test_ending_all_sessions_revokes_the_persons_api_tokens_too(moderating, user, other_user):
    _, secret = create_token(user, "Phone shortcut")
    _, others = create_token(other_user, "Laptop")

    act(moderating, "end_all_sessions", user, reason="Asked to, lost a phone.")

    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {others}").status_code == 200


@pytest.mark.parametrize("staff", ["moderating", "operating"])
def test_nobody_in_the_admin_can_set_a_persons_password(request, staff, user):
    client = request.getfixturevalue(staff)
    create_token(user, "Phone")
    password_page = f"{USERS}{user.pk}/password/"
    chosen = {"password1": "a long passphrase nobody else knows", "usable_password": "true"}

    assert client.get(password_page).status_code == 403
    assert (
        client.post(password_page, {**chosen, "password2": chosen["password1"]}).status_code == 403
    )

    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert ApiToken.objects.filter(user=user).exists()
    change_page = client.get(f"{USERS}{user.pk}/change/")
    assert change_page.status_code == 200
    assert "password/" not in page(change_page)


def test_a_password_reset_email_is_sent_and_logged(moderating, user):
    act(moderating, "send_reset_email", user, reason="Locked out, wrote to support.")

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert ModerationAction.objects.get().action == "send_password_reset"


def test_the_log_outlives_the_account(moderating, user):
    act(moderating, "suspend_accounts", user)
    email = user.email

    user.delete()

    line = ModerationAction.objects.get()
    assert line.target is None
    assert line.target_email == email


def test_moderators_can_read_the_log_but_never_add_change_or_delete(moderating, moderator, user):
    act(moderating, "suspend_accounts", user)
    line = ModerationAction.objects.get()
    before = list(ModerationAction.objects.values())

    assert moderating.get(LOG).status_code == 200
    assert moderating.get(LOG + "?action__exact=suspend").status_code == 200
    assert moderating.get(LOG + "add/").status_code == 403
    assert moderating.post(LOG + "add/", {"reason": "made up"}).status_code == 403
    assert moderating.post(f"{LOG}{line.pk}/change/", {"reason": "rewritten"}).status_code == 403
    assert moderating.get(f"{LOG}{line.pk}/delete/").status_code == 403
    assert moderating.post(f"{LOG}{line.pk}/delete/", {"post": "yes"}).status_code == 403
    assert list(ModerationAction.objects.values()) == before


def test_not_even_a_superuser_can_edit_or_delete_the_log(client, moderating, operator, user):
    act(moderating, "suspend_accounts", user)
    line = ModerationAction.objects.get()
    sign_in_with_second_factor(client, operator)

    assert client.get(LOG + "add/").status_code == 403
    assert client.post(f"{LOG}{line.pk}/change/", {"reason": "rewritten"}).status_code == 403
    assert client.post(f"{LOG}{line.pk}/delete/", {"post": "yes"}).status_code == 403
    response = client.post(LOG, {"action": "delete_selected", "_selected_action": [line.pk]})
    assert ModerationAction.objects.get().reason == line.reason
    assert response.status_code in (200, 302)


def test_moderators_cannot_make_anyone_staff(moderating, user):
    response = moderating.get(f"{USERS}{user.pk}/change/")

    assert response.status_code == 200
    assert 'name="is_superuser"' not in page(response)
    assert 'name="is_staff"' not in page(response)


def test_suspending_is_only_done_with_the_logged_action_not_the_change_form(moderating, user):
    response = moderating.get(f"{USERS}{user.pk}/change/")

    assert response.status_code == 200
    assert 'name="is_active"' not in page(response)


def test_people_who_are_not_staff_never_reach_the_admin(signed_in):
    assert signed_in.get(USERS).status_code == 302
    assert signed_in.get(LOG).status_code == 302


def test_the_accounts_list_counts_days_logged_and_shows_status(moderating, user):
    DailyEntryFactory(user=user, day="2026-11-20", notes="PLANTED-NOTE-TEXT")
    DailyEntryFactory(user=user, day="2026-11-21")

    response = moderating.get(USERS + "?status=active&q=ada@")

    rows = response.context["cl"].result_list
    assert [(row.email, row.days_logged) for row in rows] == [("ada@example.org", 2)]
    assert "Active" in page(response)


def test_a_suspended_person_cannot_sign_in(client, user):
    user.is_active = False
    user.save()

    response = client.post(
        "/accounts/login/", {"login": user.email, "password": PASSWORD}, follow=True
    )

    assert "Your account is suspended" in page(response)
    assert client.get("/log/").status_code == 302


def test_the_suspended_page_shows_the_contact_address(client, user):
    user.is_active = False
    user.save()

    response = client.post(
        "/accounts/login/", {"login": user.email, "password": PASSWORD}, follow=True
    )

    assert settings.SUPPORT_EMAIL in page(response)
    text = words(response)
    assert "request an export: a copy of all your data" in text
    assert "request deletion of your account and all its records" in text


def test_a_suspended_persons_token_stops_working(moderating, user):
    _, secret = create_token(user, "phone")
    api = APIClient(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/me/").status_code == 200

    act(moderating, "suspend_accounts", user)

    assert api.get("/api/v1/me/").status_code == 401


def test_a_suspended_persons_token_stops_even_if_it_were_kept(user):
    _, secret = create_token(user, "phone")
    user.is_active = False
    user.save()

    response = APIClient(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/me/")

    assert response.status_code == 401


PLANTED = ["PLANTED-NOTE-TEXT", "PLANTED-SYMPTOM", "PLANTED-MED"]


def test_no_admin_page_shows_any_health_data(client, operator, moderating, user):
    symptom = SymptomFactory(owner=user, name="PLANTED-SYMPTOM")
    entry = DailyEntryFactory(user=user, notes="PLANTED-NOTE-TEXT")
    entry.symptoms.add(symptom)
    MedicationFactory(user=user, name="PLANTED-MED")
    act(moderating, "end_all_sessions", user)
    sign_in_with_second_factor(client, operator)
    index = client.get(ADMIN)
    links = set(re.findall(rf'href="({ADMIN}[\w/]+/)"', page(index)))
    changelists = sorted(link for link in links if re.fullmatch(rf"{ADMIN}\w+/\w+/", link))
    assert USERS in changelists and LOG in changelists
    assert DASHBOARD in links
    pages = [ADMIN, *sorted(links), *(changelist + "?q=PLANTED" for changelist in changelists)]
    for changelist in changelists:
        pages.append(changelist)
        listing = page(client.get(changelist))
        for link in set(
            re.findall(rf'href="({re.escape(changelist)}[^"?]+/(?:change/)?)"', listing)
        ):
            pages += [link, link.replace("/change/", "/history/")]
        pages += [changelist + query for query in re.findall(r'href="(\?[^"]+)"', listing)]
        pages.append(changelist + "add/")
    pages += [f"{USERS}{user.pk}/change/", f"{USERS}{user.pk}/history/"]
    visited = 0
    for url in pages:
        response = client.get(url.replace("&amp;", "&"), follow=True)
        assert response.status_code in (200, 403), url
        for planted in PLANTED:
            assert planted not in page(response), url
        visited += 1
    # A health value as the search: nothing is found (no health field is searched) and no other
    # health value shows; the value itself is echoed in the search box.
    for changelist, planted in itertools.product(changelists, PLANTED):
        response = client.get(changelist, {"q": planted})
        assert response.context["cl"].result_count == 0, (changelist, planted)
        for other in set(PLANTED) - {planted}:
            assert other not in page(response), (changelist, planted)
        visited += 1
    for action in ACTIONS:
        response = client.post(USERS, {"action": action, "_selected_action": [user.pk]})
        assert response.status_code == 200, action
        for planted in PLANTED:
            assert planted not in page(response), action

    assert user.email in page(client.get(f"{USERS}{user.pk}/change/"))
    assert visited > 30


def test_moderators_cannot_act_on_staff_accounts_their_own_included(moderating, moderator, user):
    colleague = UserFactory(email="colleague@example.org", is_staff=True)
    # Deleting refuses staff accounts for everyone (test_admin_delete.py).
    for action in [action for action in ACTIONS if action != "delete_account"]:
        for targets in [(colleague,), (moderator,), (user, colleague)]:
            response = act(moderating, action, *targets)

            assert response.status_code == 302, action
            followed = moderating.get(response["Location"])
            assert "moderated by an operator" in page(followed), action
    for person in (colleague, moderator, user):
        person.refresh_from_db()
        assert person.is_active
    assert not ModerationAction.objects.exists()
    assert len(mail.outbox) == 0


def test_moderators_see_a_staff_account_but_cannot_change_it(moderating, moderator, user):
    colleague = UserFactory(email="colleague@example.org", is_staff=True)

    response = moderating.post(
        f"{USERS}{colleague.pk}/change/", {"email": "taken-over@example.org"}
    )

    assert response.status_code == 403
    colleague.refresh_from_db()
    assert colleague.email == "colleague@example.org"
    view = moderating.get(f"{USERS}{colleague.pk}/change/")
    assert view.status_code == 200
    assert 'name="email"' not in page(view)
    assert moderating.get(f"{USERS}{user.pk}/change/").status_code == 200
    assert 'name="email"' in page(moderating.get(f"{USERS}{user.pk}/change/"))


def test_an_operator_can_suspend_a_staff_account(client, operator, moderator):
    operating = sign_in_with_second_factor(client, operator)

    act(operating, "suspend_accounts", moderator)

    moderator.refresh_from_db()
    assert not moderator.is_active
    assert ModerationAction.objects.get().target == moderator


def test_suspending_a_user_signs_them_out_everywhere_and_logs_the_reason(moderator, user):
    theirs = signed_in_client(user)
    create_token(user, "phone")

    line = user.suspend("Spam sign-up, reported twice.", by=moderator)

    user.refresh_from_db()
    assert not user.is_active
    assert theirs.get("/log/").status_code == 302
    assert not ApiToken.objects.filter(user=user).exists()
    assert ModerationAction.objects.get() == line
    assert (line.action, line.target, line.moderator) == ("suspend", user, moderator)
    assert (line.target_email, line.target_id_at_time) == (user.email, user.pk)
    assert line.reason == "Spam sign-up, reported twice."


def test_reactivating_a_user_lets_them_back_in_and_logs_the_reason(moderator, user):
    user.suspend("Spam sign-up, reported twice.", by=moderator)

    line = user.reactivate("Appeal accepted.", by=moderator)

    user.refresh_from_db()
    assert user.is_active
    assert (line.action, line.target, line.reason) == ("reactivate", user, "Appeal accepted.")
    assert ModerationAction.objects.count() == 2
