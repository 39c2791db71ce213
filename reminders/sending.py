"""Who is due, and the decision to send: each in its own transaction that locks the person,
writes the Delivery row that makes it happen once, and moves the next due moment on. The
email goes after the transaction commits, so a message is never sent for a decision that was
rolled back (at most once, never twice). The check-in reminder and the paused notice go by
each channel the person chose: email, and a push notification to each of their devices."""

import datetime
import logging

from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts import push
from accounts.models import User
from reminders.emails import (
    CHECK_IN_SUBJECT,
    PAUSED_SUBJECT,
    check_in_message,
    paused_message,
    weekly_message,
)
from reminders.models import Delivery
from tracker.models import DailyEntry

logger = logging.getLogger(__name__)

# Reminders sent in a row without the person coming back before Hearth stops and says so.
PAUSE_AFTER = 7
# A reminder found later than this (workers were down) is dropped rather than sent at an odd
# hour of the person's night; the next one is scheduled as usual.
TOO_LATE = datetime.timedelta(hours=1)
# How many due people one look takes; the rest are found by the next look, a minute later.
BATCH = 5000
# What a push notification says (title, text, the page it opens): the email's own neutral words,
# never a health word or value, since it shows on a lock screen.
CHECK_IN_PUSH = (CHECK_IN_SUBJECT, "A moment to log today, if you'd like to.", "tracker:log_today")
PAUSED_PUSH = (PAUSED_SUBJECT, "Turn them back on from your profile.", "accounts:profile")


def due_for_check_in(now: datetime.datetime) -> list[int]:
    """Ids of the people whose check-in reminder is due: read from the partial index on
    User.reminder_due_at, which holds only people with reminders on."""
    return list(
        User.objects.filter(reminder_due_at__lte=now)
        .order_by("reminder_due_at")
        .values_list("pk", flat=True)[:BATCH]
    )


def due_for_weekly(now: datetime.datetime) -> list[int]:
    """Ids of the people whose weekly look back is due (partial index on weekly_due_at)."""
    return list(
        User.objects.filter(weekly_due_at__lte=now)
        .order_by("weekly_due_at")
        .values_list("pk", flat=True)[:BATCH]
    )


def send_check_in(person_id: int) -> str:
    """Sends the person's due check-in reminder, unless they logged the day already; sends the
    paused notice instead after PAUSE_AFTER unanswered ones. Returns what it did, for logs and
    tests: "sent", "paused", "logged", "late", "already sent" or "not due"."""
    now = timezone.now()
    with transaction.atomic():
        person = User.objects.select_for_update().filter(pk=person_id).first()
        if person is None or person.reminder_due_at is None or person.reminder_due_at > now:
            return "not due"  # another worker took it, or the settings changed meanwhile
        due = person.reminder_due_at
        day = due.astimezone(person.zone).date()
        person.reminder_due_at = person.next_reminder_due(now)
        changed = ["reminder_due_at"]
        if person.data_version != person.reminder_data_version:
            person.reminders_unanswered = 0  # they came back since the last one
            changed.append("reminders_unanswered")
        outcome = _check_in_outcome(person, day, due, now)
        if outcome in ("sent", "paused"):
            kind = Delivery.Kind.CHECK_IN if outcome == "sent" else Delivery.Kind.PAUSED
            if not _record(person, kind, day):
                outcome = "already sent"
            elif outcome == "sent":
                person.reminders_unanswered += 1
                person.reminder_data_version = person.data_version
                changed += ["reminders_unanswered", "reminder_data_version"]
            else:
                person.reminders_paused = True
                person.reminder_due_at = None
                changed.append("reminders_paused")
        person.save(update_fields=changed)
    if outcome == "sent":
        _remind(person, outcome, check_in_message(person, day), CHECK_IN_PUSH)
    elif outcome == "paused":
        _remind(person, outcome, paused_message(person), PAUSED_PUSH)
    return outcome


def _check_in_outcome(
    person: User, day: datetime.date, due: datetime.datetime, now: datetime.datetime
) -> str:
    if now - due > TOO_LATE or not person.is_active:
        return "late"
    if DailyEntry.objects.for_user(person).filter(day=day).exists():
        return "logged"
    if person.reminders_unanswered >= PAUSE_AFTER:
        return "paused"
    return "sent"


def send_weekly(person_id: int) -> str:
    """Sends the person's due weekly look back: "sent", "late", "already sent" or "not due"."""
    now = timezone.now()
    with transaction.atomic():
        person = User.objects.select_for_update().filter(pk=person_id).first()
        if person is None or person.weekly_due_at is None or person.weekly_due_at > now:
            return "not due"
        due = person.weekly_due_at
        day = due.astimezone(person.zone).date()
        person.weekly_due_at = person.next_weekly_due(now)
        person.save(update_fields=["weekly_due_at"])
        if now - due > TOO_LATE or not person.is_active:
            return "late"
        if not _record(person, Delivery.Kind.WEEKLY, day):
            return "already sent"
    _send(weekly_message(person, day), person, "sent")
    return "sent"


def _record(person: User, kind: str, day: datetime.date) -> bool:
    """Writes the Delivery row; False if there already is one (it was sent before)."""
    try:
        with transaction.atomic():
            Delivery.objects.create(person=person, kind=kind, local_date=day)
    except IntegrityError:
        return False
    return True


def _remind(
    person: User, outcome: str, email: EmailMultiAlternatives, notification: tuple[str, str, str]
) -> None:
    if person.reminder_email:
        _send(email, person, outcome)
    if person.reminder_push:
        title, text, url_name = notification
        devices = push.notify(person, title, text, reverse(url_name))
        logger.info("Reminder push %s to person %s on %s devices", outcome, person.pk, devices)


def _send(message: EmailMultiAlternatives, person: User, outcome: str) -> None:
    message.send()
    logger.info("Reminder email %s to person %s", outcome, person.pk)
