"""The reminder emails. They say only that it is time to check in, that reminders are paused,
or that a week is ready: never a health word or value, because lock screens, notification
previews and shared mailboxes are not private. The weekly one carries numbers only if the
person ticked "include my numbers in the email"."""

import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import User
from reminders.tokens import Purpose, make_token
from tracker.week import week_label, week_start, week_summary

CHECK_IN_SUBJECT = "Your Hearth check-in"
PAUSED_SUBJECT = "Your Hearth reminders are paused"
WEEKLY_SUBJECT = "Your week in Hearth is ready"


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def check_in_message(person: User, day: datetime.date) -> EmailMultiAlternatives:
    context = {
        "log_url": absolute(reverse("tracker:log_today")),
        "not_today_url": absolute(
            reverse("reminders:not_today", args=[make_token(person, Purpose.NOT_TODAY, day)])
        ),
    }
    return _message(person, "check_in", CHECK_IN_SUBJECT, context, Purpose.STOP_CHECK_IN)


def paused_message(person: User) -> EmailMultiAlternatives:
    context = {"resume_url": absolute(reverse("reminders:resume"))}
    return _message(person, "paused", PAUSED_SUBJECT, context, Purpose.STOP_CHECK_IN)


def weekly_monday(day: datetime.date) -> datetime.date:
    """The week a look back sent on `day` is about: the latest one that has ended by then
    (Sunday's covers the week ending that day)."""
    return week_start(day - datetime.timedelta(days=6))


def weekly_message(person: User, day: datetime.date) -> EmailMultiAlternatives:
    monday = weekly_monday(day)
    context = {
        "week_url": absolute(reverse("tracker:week_of", args=[week_label(monday)])),
        "monday": monday,
        "summary": week_summary(person, monday) if person.weekly_include_numbers else None,
    }
    return _message(person, "weekly", WEEKLY_SUBJECT, context, Purpose.STOP_WEEKLY)


def _message(
    person: User, template: str, subject: str, context: dict, stop: Purpose
) -> EmailMultiAlternatives:
    """A message with a plain-text and an HTML part and a one-click unsubscribe (RFC 8058):
    mail programs POST `List-Unsubscribe=One-Click` to the link in List-Unsubscribe."""
    stop_url = absolute(reverse("reminders:stop", args=[stop.value, make_token(person, stop)]))
    context = {
        **context,
        "stop_url": stop_url,
        "profile_url": absolute(reverse("accounts:profile")),
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"reminders/{template}.txt", context),
        to=[person.email],
        headers={
            "List-Unsubscribe": f"<{stop_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string(f"reminders/{template}.html", context), "text/html")
    return message
