"""Signing a person out everywhere, for their own account deletion and for moderation."""

from allauth.usersessions.models import UserSession

from accounts.models import User


def end_sessions(user: User) -> None:
    """End every session that signs the person in. Every way into Hearth goes through allauth's
    sign-in, which records each session it starts (allauth.usersessions), so those records name
    every session to end and nobody else's sessions are read."""
    for session in UserSession.objects.filter(user=user):
        session.end()
