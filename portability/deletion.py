"""Deleting a person's account, by their own choice (portability/views.py) or a moderator's
(accounts/admin.py, through accounts.erasure)."""

from django.db import transaction

from accounts.models import User
from accounts.sessions import end_sessions


@transaction.atomic
def delete_account(user: User) -> None:
    """Delete the person and every row that belongs to them, and sign them out everywhere.

    Every model's foreign key to the person cascades (entries with their symptoms and barriers,
    own symptoms, medications, import jobs, API tokens, share links with their openings (so
    every link stops opening at once), security events, allauth's email
    addresses, two-factor authenticators and session records), except the moderation log's: its
    lines keep a copy of the email address and id on purpose, so the log still says whom an
    action was about after the account is gone, and they hold no health data.
    tests/portability/test_deletion.py walks every model to prove nothing else of theirs
    remains.

    Cached summaries of their records are keyed by their id, which is never reused, and expire
    within a day."""
    end_sessions(user)
    user.delete()
