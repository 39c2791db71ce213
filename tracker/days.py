"""A day named in text: in a page's URL, an API URL or filter, or a file to import. One parser,
so every path accepts the same days and explains a refusal in the same words."""

import datetime
import re

from django.core.exceptions import ValidationError

# Days before this are refused everywhere: nobody logs them, and date arithmetic near year 1
# (the day before, the previous period) would leave the calendar.
FIRST_DAY = datetime.date(1900, 1, 1)
# Only the strict form: fromisoformat alone would also take "20261124" or "2026-W48-3".
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def read_day(text: str | None) -> datetime.date:
    """The calendar day `text` names (YYYY-MM-DD), whether or not it can be logged; a
    ValidationError (code "required" or "invalid") says why not."""
    if text in (None, ""):
        raise ValidationError("Which day is this? The day is missing.", code="required")
    try:
        if not ISO_DAY.fullmatch(str(text)):
            raise ValueError
        return datetime.date.fromisoformat(str(text))
    except ValueError:
        raise ValidationError(
            f"“{text}” is not a real date. Use YYYY-MM-DD, for example 2026-01-31.",
            code="invalid",
        ) from None


def parse_day(text: str | None, today: datetime.date) -> datetime.date:
    """The day `text` names, if a day can be logged for it: from FIRST_DAY to `today` (the
    person's own). Otherwise a ValidationError whose code is "required", "invalid", "future"
    or "too_early" and whose message says why."""
    day = read_day(text)
    if day > today:
        raise ValidationError(
            f"{day} hasn't happened yet. You can log today or any earlier day.", code="future"
        )
    if day < FIRST_DAY:
        raise ValidationError(
            f"{day} is too early: Hearth keeps days from 1900 on.", code="too_early"
        )
    return day
