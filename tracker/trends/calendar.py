"""The flare calendar: one year of a person's days, Monday-first weeks by month, each day
shaded by flare severity with its intimacy mark and spoken label. The days are worked out
here (`months_of`) and drawn by `draw`, for /trends/ and a share link's page alike. It writes its
HTML in Python rather than through a template: the template language spent longer on a year of
cells than on the rest of the page together (docs/scaling.md)."""

import datetime
import functools
from calendar import Calendar
from collections.abc import Callable

from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from tracker.measures import FLARE_BANDS, SUMMARISED
from tracker.models import ACTIVITY_KINDS, FIRST_DAY
from tracker.trends.cache import CACHE_SECONDS, cache_key
from tracker.trends.reads import LoggedDays

MONTH_NAMES = [""] + [datetime.date(2000, month, 1).strftime("%B") for month in range(1, 13)]


def year_span(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def year_calendar(user, year: int, read: Callable[[], LoggedDays] | None = None) -> str:
    """One year's flare calendar as HTML, safe to put in a page. In discreet mode, the intimacy
    marks are hidden until asked. `read`, if given, returns the person's days over at least
    the whole year.

    It is cached drawn, until the person writes: a person who switches between ranges keeps
    the same calendar."""
    today = user.today()
    discreet = user.discreet_mode
    key = cache_key(user, "calendar", year, today, discreet)
    drawn = cache.get(key)
    if drawn is None:
        days = read() if read else LoggedDays.fetch(user, *year_span(year))
        drawn = draw(months_of(days, year, discreet, today))
        cache.set(key, drawn, CACHE_SECONDS)
    return drawn


@functools.lru_cache(maxsize=16)
def _weeks_of_months(year: int) -> tuple[tuple[tuple[datetime.date | None, ...], ...], ...]:
    """Each month's Monday-first weeks of one year, None for the days of other months."""
    weeks = Calendar(firstweekday=0).monthdatescalendar
    return tuple(
        tuple(
            tuple(day if day.month == month else None for day in week)
            for week in weeks(year, month)
        )
        for month in range(1, 13)
    )


def months_of(days: LoggedDays, year: int, discreet: bool, today: datetime.date) -> list[dict]:
    """Months of one year, each its name and its Monday-first weeks, every day a cell as
    `_cell` describes (None for the days of other months)."""
    flare_column = 1 + list(SUMMARISED).index("flare_severity")
    first = days.first.toordinal()
    by_ordinal = {
        first + row[0]: (row[flare_column], row[-3], row[-1])
        for row in days.raw[days.positions(*year_span(year))]
    }
    # The log page's URL is resolved once and each day put into it, rather than a reverse()
    # for every day of the year.
    placeholder = FIRST_DAY.isoformat()
    log_url = reverse("tracker:log_day", args=[placeholder])
    return [
        {
            "name": MONTH_NAMES[month],
            "weeks": [
                [
                    None
                    if day is None
                    else _cell(day, today, log_url, placeholder, by_ordinal, discreet)
                    for day in week
                ]
                for week in month_weeks
            ],
        }
        for month, month_weeks in enumerate(_weeks_of_months(year), start=1)
    ]


def _cell(
    day: datetime.date,
    today: datetime.date,
    log_url: str,
    placeholder: str,
    by_ordinal: dict[int, tuple],
    discreet: bool,
) -> dict:
    """One day of the calendar: its number, shade ("future", "none" when not logged, else by
    flare severity), spoken `label`, and for a logged day its log page (`href`) and `mark`
    (the day's number, or ● for sexual activity, ♥ for affection only). In discreet mode a
    day with intimacy marks speaks only its date and flare, and `private_label` holds the full
    label that "Show private markers" puts back."""
    date = f"{day.day} {MONTH_NAMES[day.month]}"
    if day > today:
        # A day still to come: drawn apart from the days that were not logged.
        return {"day": day.day, "shade": "future", "label": f"{date}: not yet"}
    marks = by_ordinal.get(day.toordinal())
    if marks is None:
        return {"day": day.day, "shade": "none", "label": f"{date}: not logged"}
    flare, kind, touch = marks
    activity = kind in ACTIVITY_KINDS
    said = f"{date}: flare not logged" if flare is None else f"{date}: flare {flare}"
    private = (", sexual activity" if activity else "") + (", affection" if touch else "")
    hidden = discreet and bool(private)
    return {
        "day": day.day,
        "shade": _shade(flare),
        "href": log_url.replace(placeholder, day.isoformat()),
        "label": said if hidden else said + private,
        "private_label": said + private if hidden else "",
        "mark": "●" if activity else "♥" if touch else str(day.day),
    }


def _shade(flare: int | None) -> str:
    if flare is None:
        return "none"
    return next(band.shade for band in FLARE_BANDS if flare <= band.highest)


# One table a month, each week one line with its cells side by side: whitespace between a year
# of cells would only make the page heavier.
_WEEKDAY_HEADINGS = "".join(
    f'<th scope="col"><abbr title="{name}">{name[0]}</abbr></th>'
    for name in ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
)
_MONTH_START = (
    '\n      <table class="month">\n        <caption>{name}</caption>\n'
    f"        <thead><tr>{_WEEKDAY_HEADINGS}</tr></thead>\n        \n        <tbody>\n"
)
_MONTH_END = "\n        </tbody>\n      </table>\n    "


def draw(months: list[dict]) -> SafeString:
    """The months of `months_of` as HTML: one table a month. A day of another month pads its
    week; a day not logged (or to come) has no link; every day says its date and flare aloud;
    in discreet mode the intimacy marks and their words wait for "Show private markers"
    (trends.js)."""
    parts = ['<div class="year-calendar">\n    ']
    for month in months:
        parts.append(_MONTH_START.format(name=month["name"]))
        parts.append(
            "\n".join(
                "<tr>" + "".join(_cell_html(cell) for cell in week) + "</tr>"
                for week in month["weeks"]
            )
        )
        parts.append(_MONTH_END)
    parts.append("\n  </div>")
    # Nothing in it was typed by anyone: dates, numbers, shades and marks from closed sets, and
    # words written here, none holding a character HTML gives meaning to (escaping a year of
    # cells, ~1,500 strings, cost a tenth of a cold page; tests/tracker/test_trends_calendar.py
    # checks the claim over random years).
    return mark_safe("".join(parts))


@functools.cache
def _mark_html(mark: str) -> str:
    """A day's intimacy mark, drawn by the template that draws it everywhere else."""
    return render_to_string("tracker/includes/day_mark.html", {"mark": mark})


def _cell_html(cell: dict | None) -> str:
    if not cell:
        return '<td class="heat heat--pad"></td>'
    shade, day, label = cell["shade"], cell["day"], cell["label"]
    if not cell.get("href"):
        return (
            f'<td class="heat heat--{shade}"><span aria-hidden="true">{day}</span>'
            f'<span class="visually-hidden">{label}</span></td>'
        )
    href = cell["href"]
    if cell["private_label"]:
        return (
            f'<td class="heat heat--{shade}"><a href="{href}" aria-label="{label}" '
            f'data-private-label="{cell["private_label"]}"><span data-public>{day}</span>'
            f"<span data-private hidden>{_mark_html(cell['mark'])}</span></a></td>"
        )
    mark = cell["mark"] if cell["mark"] == str(day) else _mark_html(cell["mark"])
    return f'<td class="heat heat--{shade}"><a href="{href}" aria-label="{label}">{mark}</a></td>'
