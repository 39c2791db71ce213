"""Signed links in reminder emails that work without signing in: each names one person and one
purpose, expires, and cannot be made, changed or turned to another person without SECRET_KEY."""

import datetime
from enum import StrEnum

from django.core import signing

from accounts.models import User

MAX_AGE = datetime.timedelta(days=60)


class Purpose(StrEnum):
    STOP_CHECK_IN = "stop-check-in"
    STOP_WEEKLY = "stop-weekly"
    NOT_TODAY = "not-today"


def make_token(person: User, purpose: Purpose, day: datetime.date | None = None) -> str:
    payload = {"person": person.pk}
    if day is not None:
        payload["day"] = day.isoformat()
    return signing.dumps(payload, salt=_salt(purpose))


def read_token(token: str, purpose: Purpose) -> tuple[User, datetime.date | None] | None:
    """The active person (and day, if it names one) a token made for `purpose` stands for;
    None if it is forged, altered, made for another purpose or older than MAX_AGE."""
    try:
        payload = signing.loads(token, salt=_salt(purpose), max_age=MAX_AGE)
        person = User.objects.filter(pk=int(payload["person"]), is_active=True).first()
        day = datetime.date.fromisoformat(payload["day"]) if "day" in payload else None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return (person, day) if person is not None else None


def _salt(purpose: Purpose) -> str:
    return f"hearth.reminders.{purpose}"
