"""Who reaches the admin: staff only, through the site's sign-in, and only with two-factor on."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory

from accounts.models import ModerationAction
from tests.accounts.test_moderation import ACTIONS, ADMIN, DASHBOARD, LOG, USERS
from tests.conftest import PASSWORD, sign_in_with_second_factor
from tests.factories import TotpAuthenticatorFactory, UserFactory, totp_code
from tests.pages import page, words


def signed_in_as(person) -> Client:
    """Signed in as if through the password and, when they have one, the second factor."""
    client = Client()
    if person is not None:
        sign_in_with_second_factor(client, person)
    return client


@pytest.fixture
def moderator_without_mfa(db):
    person = UserFactory(email="new-mod@example.org", is_staff=True)
    person.groups.add(Group.objects.get(name="Moderators"))
    return person


@pytest.fixture
def line(moderator, other_user) -> ModerationAction:
    return ModerationAction.objects.create(
        moderator=moderator,
        target=other_user,
        target_email=other_user.email,
        target_id_at_time=other_user.pk,
        action=ModerationAction.Action.SUSPEND,
        reason="Spam.",
    )


@pytest.fixture
def clients(user, moderator, moderator_without_mfa, operator) -> dict[str, Client]:
    return {
        "anonymous": signed_in_as(None),
        "person": signed_in_as(user),
        "moderator without two-factor": signed_in_as(moderator_without_mfa),
        "moderator": signed_in_as(moderator),
        "superuser": signed_in_as(operator),
    }


def outcome(response) -> str:
    """What the visitor met, in words: the admin page, the sign-in, or the two-factor page."""
    if response.status_code == 302 and response.url.startswith(ADMIN + "login/"):
        return "sent to sign in"
    if response.status_code == 403 and "Turn on two-factor" in page(response):
        return "asked for two-factor"
    if response.status_code == 200:
        return "shown"
    return f"answered {response.status_code}"


EXPECTED = {
    "anonymous": "sent to sign in",
    "person": "sent to sign in",
    "moderator without two-factor": "asked for two-factor",
    "moderator": "shown",
    "superuser": "shown",
}
PAGES = {
    "index": lambda user, line: ADMIN,
    "accounts list": lambda user, line: USERS,
    "account change": lambda user, line: f"{USERS}{user.pk}/change/",
    "account history": lambda user, line: f"{USERS}{user.pk}/history/",
    "moderation log": lambda user, line: LOG,
    "moderation log line": lambda user, line: f"{LOG}{line.pk}/change/",
    "dashboard": lambda user, line: DASHBOARD,
}


@pytest.mark.parametrize("role", EXPECTED)
@pytest.mark.parametrize("page_name", PAGES)
def test_permission_matrix_for_admin_pages(clients, user, line, role, page_name):
    response = clients[role].get(PAGES[page_name](user, line))

    assert outcome(response) == EXPECTED[role]


@pytest.mark.parametrize("role", EXPECTED)
@pytest.mark.parametrize("action", ACTIONS)
def test_permission_matrix_for_actions_asking_for_a_reason(clients, other_user, role, action):
    response = clients[role].post(USERS, {"action": action, "_selected_action": [other_user.pk]})

    assert outcome(response) == EXPECTED[role]
    if EXPECTED[role] == "shown":
        assert 'name="reason"' in page(response)


@pytest.mark.parametrize("role", ["anonymous", "person", "moderator without two-factor"])
@pytest.mark.parametrize("action", ["suspend_accounts", "clear_lockouts", "delete_account"])
def test_no_action_takes_effect_without_admin_access(clients, other_user, role, action):
    clients[role].post(
        USERS,
        {
            "action": action,
            "_selected_action": [other_user.pk],
            "apply": "1",
            "reason": "Trying my luck.",
            "confirm_email": other_user.email,
        },
    )

    other_user.refresh_from_db()
    assert other_user.is_active
    assert not ModerationAction.objects.exists()


def test_staff_without_the_moderators_group_see_no_accounts_and_no_dashboard(db):
    staff = UserFactory(is_staff=True)
    TotpAuthenticatorFactory(user=staff)
    client = signed_in_as(staff)

    assert client.get(ADMIN).status_code == 200
    assert "Dashboard" not in words(client.get(ADMIN))
    assert client.get(USERS).status_code == 403
    assert client.get(DASHBOARD).status_code == 403


def test_the_index_links_to_the_dashboard(moderating):
    response = moderating.get(ADMIN)

    assert f'href="{DASHBOARD}"' in page(response)


def test_a_moderator_can_read_a_log_line_but_not_edit_or_delete_it(moderating, line):
    before = list(ModerationAction.objects.values())

    shown = moderating.get(f"{LOG}{line.pk}/change/")
    edit = moderating.post(f"{LOG}{line.pk}/change/", {"reason": "Rewritten."})
    delete = moderating.post(f"{LOG}{line.pk}/delete/", {"post": "yes"})

    assert shown.status_code == 200
    assert 'name="reason"' not in page(shown)
    assert (edit.status_code, delete.status_code) == (403, 403)
    assert list(ModerationAction.objects.values()) == before


@pytest.mark.parametrize("role", ["moderator", "superuser"])
def test_the_log_admin_grants_no_add_change_or_delete_permission(role, moderator, operator, line):
    request = RequestFactory().get(LOG)
    request.user = {"moderator": moderator, "superuser": operator}[role]
    log_admin = admin.site.get_model_admin(ModerationAction)

    assert log_admin.has_view_permission(request, line)
    assert not log_admin.has_add_permission(request)
    assert not log_admin.has_change_permission(request, line)
    assert not log_admin.has_delete_permission(request, line)
    assert not log_admin.has_delete_permission(request)


# Signing in ----------------------------------------------------------------------------------


def test_the_admin_sends_visitors_to_the_sites_own_sign_in(client):
    response = client.get(USERS, follow=True)

    assert response.redirect_chain[-1][0] == f"/accounts/login/?next={USERS}"
    assert 'name="login"' in page(response)


def test_the_admins_own_login_form_never_signs_anyone_in(client, moderator):
    response = client.post(ADMIN + "login/", {"username": moderator.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_a_moderator_signs_in_through_the_site_with_the_two_factor_step(client, moderator):
    response = client.post(
        f"/accounts/login/?next={ADMIN}", {"login": moderator.email, "password": PASSWORD}
    )
    assert response.url == "/accounts/2fa/authenticate/"
    assert client.get(ADMIN).status_code == 302  # Not signed in until the code is given.

    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code()})

    assert response.url == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_signed_in_staff_visiting_the_admin_login_go_to_the_index(moderating):
    response = moderating.get(ADMIN + "login/")

    assert response.status_code == 302
    assert response.url == ADMIN


def test_a_signed_in_person_who_is_not_staff_is_told_so_without_a_loop(signed_in):
    response = signed_in.get(USERS, follow=True)

    assert response.status_code == 403
    assert "This part of Hearth is for staff" in words(response)


# Two-factor ----------------------------------------------------------------------------------


def test_staff_without_two_factor_are_told_to_set_it_up_and_see_nothing_else(
    moderator_without_mfa, other_user
):
    client = signed_in_as(moderator_without_mfa)

    response = client.get(f"{USERS}{other_user.pk}/change/")

    assert response.status_code == 403
    assert "Turn on two-factor authentication" in words(response)
    assert 'href="/accounts/2fa/"' in page(response)
    assert other_user.email not in page(response)
    assert outcome(client.get(ADMIN + "login/")) == "asked for two-factor"


def test_recovery_codes_alone_do_not_count_as_two_factor(moderator_without_mfa):
    RecoveryCodes.activate(moderator_without_mfa)

    response = signed_in_as(moderator_without_mfa).get(ADMIN)

    assert outcome(response) == "asked for two-factor"


def test_a_passkey_counts_as_two_factor(moderator_without_mfa):
    Authenticator.objects.create(
        user=moderator_without_mfa, type=Authenticator.Type.WEBAUTHN, data={}
    )

    assert signed_in_as(moderator_without_mfa).get(USERS).status_code == 200


def test_turning_off_the_requirement_lets_staff_in_without_two_factor(
    settings, moderator_without_mfa
):
    settings.ADMIN_REQUIRE_MFA = False

    assert signed_in_as(moderator_without_mfa).get(USERS).status_code == 200


def test_the_requirement_is_on_by_default():
    assert settings.ADMIN_REQUIRE_MFA is True


def test_the_admins_change_password_link_leads_to_the_sites_own_page(moderating):
    response = moderating.get(ADMIN + "password_change/")

    assert response.status_code == 302
    assert response.url == "/accounts/password/change/"


def test_staff_who_skipped_the_second_factor_in_this_session_are_turned_away(moderator):
    client = Client()
    client.force_login(moderator)  # a password-only session, although they have an app

    response = client.get("/admin/")

    assert response.status_code == 403
    assert "two-factor" in response.content.decode().lower()
