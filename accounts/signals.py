"""Receivers that put what happens to an account on the person's security activity page.

Each one only says which kind of event happened; accounts.security.record keeps the time and a
coarse device, never an address, an email or anything from the journal. (A new password
revokes every API token wherever it is set: User.save.)
"""

from allauth.mfa.models import Authenticator
from django.http import HttpRequest

from accounts.models import SecurityEvent, User
from accounts.security import record

Kind = SecurityEvent.Kind


def on_logged_in(sender, request: HttpRequest, user: User, **kwargs) -> None:
    record(request, user, Kind.LOGIN)


def on_login_failed(sender, credentials: dict, request: HttpRequest | None = None, **kwargs):
    # Only the account's owner ever sees the event, and the person trying learns nothing: the
    # sign-in form answers the same whether or not the account exists.
    email = credentials.get("email") or credentials.get("username")
    if not email:
        return
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        record(request, user, Kind.LOGIN_FAILED)


def on_logged_out(sender, request: HttpRequest, user: User | None, **kwargs) -> None:
    if user is not None:
        record(request, user, Kind.LOGOUT)


def on_password_changed(sender, request: HttpRequest, user: User, **kwargs) -> None:
    record(request, user, Kind.PASSWORD_CHANGED)


def on_password_reset(sender, request: HttpRequest, user: User, **kwargs) -> None:
    record(request, user, Kind.PASSWORD_RESET)


def on_email_changed(sender, request: HttpRequest, user: User, **kwargs) -> None:
    record(request, user, Kind.EMAIL_CHANGED)


def on_authenticator_added(
    sender, request: HttpRequest, user: User, authenticator: Authenticator, **kwargs
) -> None:
    if authenticator.type == Authenticator.Type.RECOVERY_CODES:
        record(request, user, Kind.RECOVERY_CODES_REGENERATED)
    else:
        record(request, user, Kind.MFA_ENABLED)


def on_authenticator_removed(
    sender, request: HttpRequest, user: User, authenticator: Authenticator, **kwargs
) -> None:
    # Recovery codes go by themselves when the last app or passkey is removed: that removal is
    # the event the person did, and it is already recorded.
    if authenticator.type != Authenticator.Type.RECOVERY_CODES:
        record(request, user, Kind.MFA_DISABLED)


def on_authenticator_reset(
    sender, request: HttpRequest, user: User, authenticator: Authenticator, **kwargs
) -> None:
    record(request, user, Kind.RECOVERY_CODES_REGENERATED)
