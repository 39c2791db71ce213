"""What reminder emails say: never a health word or value (lock screens and shared mailboxes
are not private), a plain-text part, and a one-click unsubscribe (RFC 8058)."""

import datetime
import re

import pytest
from django.core import mail

from reminders.emails import check_in_message, paused_message, weekly_message
from reminders.tasks import run_due_jobs
from tests.factories import DailyEntryFactory, MedicationFactory, UserFactory

pytestmark = pytest.mark.usefixtures("clock")  # Wednesday 25 November 2026, noon in London

# Words about health, sex, intimacy, flares or conditions, matched as whole words or stems.
HEALTH_WORDS = re.compile(
    r"\b(flares?|flaring|sex\w*|intima\w*|libido|arous\w*|orgasm\w*|pain\w*|stiff\w*|"
    r"swell\w*|fatigue\w*|stress\w*|sleep\w*|symptom\w*|conditions?|diagnos\w*|diseases?|"
    r"autoimmune|lupus|arthritis|psoria\w*|crohn\w*|colitis|medicat\w*|methotrexate|"
    r"dose\w*|health\w*|ill\w*|sick\w*|mood|tired\w*|energy|note\w*|insights?|trends?)\b",
    re.IGNORECASE,
)


@pytest.fixture
def person(db):
    person = UserFactory(
        display_name="Lupus warrior",  # a name that must not reach an email either
        time_zone="Europe/Berlin",
        weekly_day=6,
        reminder_time=datetime.time(20, 30),
    )
    DailyEntryFactory(user=person, day=datetime.date(2026, 11, 24), notes="a flare, and pain")
    MedicationFactory(user=person, name="Methotrexate")
    return person


def every_part(message) -> str:
    """Subject, headers, the plain text and every alternative, as one text."""
    parts = [message.subject, message.body, *message.extra_headers.values()]
    parts += [content for content, _ in message.alternatives]
    return "\n".join(parts)


def rendered_emails(person) -> list:
    day = datetime.date(2026, 11, 25)
    return [
        check_in_message(person, day),
        paused_message(person),
        weekly_message(person, datetime.date(2026, 11, 29)),
    ]


def test_no_rendered_email_carries_a_health_word(person):
    for message in rendered_emails(person):
        found = HEALTH_WORDS.findall(every_part(message))
        assert found == [], f"{message.subject!r} says {found}"


def test_the_scan_finds_health_words_when_they_are_there(person):
    """The scan itself can fail: the weekly email with numbers asked for does name measures."""
    person.weekly_include_numbers = True
    text = every_part(weekly_message(person, datetime.date(2026, 11, 29)))
    assert "Days logged: 1 of 7" in text
    assert HEALTH_WORDS.search(text)
    assert "not private" in text
    assert "Libido" not in text  # intimate measures stay out even then


def test_the_emails_sent_by_the_job_carry_no_health_word(freeze_time, person):
    freeze_time("2026-11-25T19:30:00+00:00")
    run_due_jobs()
    freeze_time("2026-11-29T17:00:00+00:00")
    run_due_jobs()
    assert [message.subject for message in mail.outbox] == [
        "Your Hearth check-in",
        "Your week in Hearth is ready",
    ]
    for message in mail.outbox:
        assert HEALTH_WORDS.findall(every_part(message)) == []


def test_every_email_has_plain_text_html_and_one_click_unsubscribe(person):
    for message in rendered_emails(person):
        assert message.body.strip()
        assert [mimetype for _, mimetype in message.alternatives] == ["text/html"]
        unsubscribe = message.extra_headers["List-Unsubscribe"]
        assert re.fullmatch(r"<http://127\.0\.0\.1:8000/reminders/stop/[\w-]+/[^>]+/>", unsubscribe)
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert unsubscribe[1:-1] in message.body
        assert message.to == [person.email]


def test_the_check_in_email_links_to_today_and_not_today(person):
    message = check_in_message(person, datetime.date(2026, 11, 25))
    assert message.subject == "Your Hearth check-in"
    assert "http://127.0.0.1:8000/log/\n" in message.body
    assert "http://127.0.0.1:8000/reminders/not-today/" in message.body


def test_the_weekly_email_links_to_the_week_it_is_about(person):
    sunday = weekly_message(person, datetime.date(2026, 11, 29))
    monday = weekly_message(person, datetime.date(2026, 11, 30))
    assert sunday.subject == "Your week in Hearth is ready"
    assert "/week/2026-W48/" in sunday.body  # the week ending that Sunday
    assert "/week/2026-W48/" in monday.body  # the week that ended the day before
    assert "Days logged" not in sunday.body
