"""The flare calendar as `calendar.draw` writes it (for /trends/ and a share link's page): one
table a month of Monday-first weeks, seven cells each; every logged day a link to its log page,
shaded by its flare and saying its date, flare and intimacy aloud, except in discreet mode,
where the intimacy words wait in `data-private-label`; days not logged and days to come have
no link."""

import datetime
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import TODAY
from tracker.measures import FLARE_BANDS
from tracker.models import DailyEntry
from tracker.trends.calendar import MONTH_NAMES, draw, months_of, year_span
from tracker.trends.reads import LoggedDays

pytestmark = pytest.mark.usefixtures("clock")

KINDS = [None, "none", "solo", "partnered", "both"]


class CalendarCells(HTMLParser):
    """The drawn months: each a list of weeks, each week a list of cells (their attributes)."""

    def __init__(self):
        super().__init__()
        self.months: list[list[list[dict]]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "table":
            self.months.append([])
        elif tag == "tr" and self.months and self.rows_started:
            self.months[-1].append([])
        elif tag == "tbody":
            self.rows_started = True
        elif tag == "td":
            self.months[-1][-1].append({"class": attributes["class"]})
        elif tag == "a":
            self.months[-1][-1][-1].update(
                href=attributes["href"],
                label=attributes["aria-label"],
                private_label=attributes.get("data-private-label"),
            )

    def handle_endtag(self, tag):
        if tag == "tbody":
            self.rows_started = False

    rows_started = False


def nothing_to_escape(months: list[dict]) -> bool:
    """Whether every word the calendar writes is free of the characters HTML gives meaning to:
    `draw` writes them unescaped, because none is typed by anyone."""
    words = [month["name"] for month in months] + [
        str(value)
        for month in months
        for week in month["weeks"]
        for cell in week
        if cell
        for value in cell.values()
        if value
    ]
    return not any(character in word for word in words for character in "<>&\"'")


def drawn(user, year: int, discreet: bool) -> list[list[list[dict]]]:
    months = months_of(LoggedDays.fetch(user, *year_span(year)), year, discreet, TODAY)
    assert nothing_to_escape(months)
    parser = CalendarCells()
    parser.feed(str(draw(months)))
    return parser.months


def linked_days(months) -> dict[str, dict]:
    return {
        cell["href"]: cell for weeks in months for week in weeks for cell in week if "href" in cell
    }


def expected_shade(flare: int | None) -> str:
    if flare is None:
        return "none"
    return next(band.shade for band in FLARE_BANDS if flare <= band.highest)


def expected_label(entry: DailyEntry) -> tuple[str, str]:
    """What a day says aloud: its date and flare, then its intimacy words."""
    date = f"{entry.day.day} {MONTH_NAMES[entry.day.month]}"
    flare = "flare not logged" if entry.flare_severity is None else f"flare {entry.flare_severity}"
    private = ", sexual activity" if entry.sexual_activity in ("solo", "partnered", "both") else ""
    private += ", affection" if entry.physical_affection else ""
    return f"{date}: {flare}", private


def check_year(user, year: int, discreet: bool) -> None:
    months = drawn(user, year, discreet)
    assert len(months) == 12
    assert all(len(week) == 7 for weeks in months for week in weeks)
    entries = DailyEntry.objects.filter(user=user, day__year=year, day__lte=TODAY)
    links = linked_days(months)
    assert len(links) == entries.count()
    for entry in entries:
        cell = links[f"/log/{entry.day.isoformat()}/"]
        assert cell["class"] == f"heat heat--{expected_shade(entry.flare_severity)}"
        said, private = expected_label(entry)
        if discreet and private:
            assert (cell["label"], cell["private_label"]) == (said, said + private)
        else:
            assert (cell["label"], cell["private_label"]) == (said + private, None)


def test_a_year_with_every_kind_of_day_is_drawn_a_month_a_table(user):
    first = datetime.date(TODAY.year, 1, 1)
    for number in range(0, (TODAY - first).days, 2):
        DailyEntry.objects.create(
            user=user,
            day=first + datetime.timedelta(days=number),
            flare_severity=None if number % 7 == 0 else number % 11,
            sexual_activity=KINDS[number % 5],
            physical_affection=[None, True, False][number % 3],
        )
    for discreet in (False, True):
        check_year(user, TODAY.year, discreet)
    html = str(draw(months_of(LoggedDays.fetch(user, *year_span(TODAY.year)), 2026, True, TODAY)))
    # Days not logged and days to come are there, unlinked; both intimacy marks are drawn.
    assert "not logged</span></td>" in html and "not yet</span></td>" in html
    assert "<circle" in html and "<path" in html
    assert html.count("<table") == 12


def test_a_word_that_would_need_escaping_is_noticed():
    months = [{"name": "May", "weeks": [[None, {"day": 1, "shade": "none", "label": "1 <May>"}]]}]
    assert not nothing_to_escape(months)
    assert nothing_to_escape([{**months[0], "weeks": [[{"day": 1, "label": "1 May: flare 2"}]]}])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    days=st.dictionaries(
        st.integers(min_value=0, max_value=365 + 330),
        st.tuples(
            st.none() | st.integers(min_value=0, max_value=10),
            st.sampled_from(KINDS),
            st.sampled_from([None, True, False]),
        ),
        max_size=40,
    ),
    discreet=st.booleans(),
)
def test_any_days_are_each_drawn_once_with_their_shade_and_words(user, days, discreet):
    DailyEntry.objects.filter(user=user).delete()
    first = datetime.date(TODAY.year - 1, 1, 1)
    DailyEntry.objects.bulk_create(
        DailyEntry(
            user=user,
            day=first + datetime.timedelta(days=offset),
            flare_severity=flare,
            sexual_activity=kind,
            physical_affection=touch,
        )
        for offset, (flare, kind, touch) in days.items()
    )
    for year in (TODAY.year - 1, TODAY.year):
        check_year(user, year, discreet)
