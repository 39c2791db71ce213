"""What a share link's page shows: the clinician report's numbers for the link's period, read
from that period's days alone, with only the parts the person chose. Nothing outside the period
(no previous-period averages, no other months of the calendar) and no link into the app."""

import datetime

from tracker import insights
from tracker.measures import FLARE_BANDS
from tracker.report import report_for
from tracker.trends.calendar import draw, months_of
from tracker.trends.periods import Period
from tracker.trends.reads import LoggedDays

NO_NAME = "A Hearth user"


def shared_page(link) -> dict:
    person = link.user
    period = Period(link.start, link.end, "custom")
    context = report_for(
        person,
        period,
        include_notes=link.show_notes,
        include_intimacy=link.show_intimacy,
        within_period_only=True,
    )
    context.update(
        link=link,
        period=period,
        name=person.display_name or NO_NAME,
        calendar=draw(flare_calendar(person, period, link.show_intimacy))
        if link.show_flares
        else "",
        flare_bands=FLARE_BANDS,
        findings=shared_findings(person, period, link.show_intimacy) if link.show_insights else [],
    )
    return context


def shared_findings(person, period: Period, include_intimacy: bool) -> list[dict]:
    findings = insights.findings_for(person, period)
    chosen = [finding for finding in findings if include_intimacy or not finding["intimate"]]
    return insights.with_interval_bars(chosen)


def flare_calendar(person, period: Period, include_intimacy: bool) -> list[dict]:
    """The flare calendar's months that overlap the period, for `draw`: days outside the period
    are blank, no day links into the app, and a day's intimacy marks are left out (even from its
    spoken label) unless the person chose to share them."""
    days = LoggedDays.fetch(person, period.start, period.end)
    today = person.today()
    shown = []
    for year in range(period.start.year, period.end.year + 1):
        months = months_of(days, year, not include_intimacy, today)
        for number, month in enumerate(months, start=1):
            month_first = datetime.date(year, number, 1)
            if month_first > period.end or _month_end(month_first) < period.start:
                continue
            shown.append(
                {
                    "name": f"{month['name']} {year}",
                    "weeks": [
                        [
                            _shared_cell(cell, year, number, period, include_intimacy)
                            for cell in week
                        ]
                        for week in month["weeks"]
                    ],
                }
            )
    return shown


def _month_end(month_first: datetime.date) -> datetime.date:
    following = (month_first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def _shared_cell(cell, year: int, month: int, period: Period, include_intimacy: bool):
    if cell is None:
        return None
    day = datetime.date(year, month, cell["day"])
    if not period.start <= day <= period.end:
        return None
    shared = {"day": cell["day"], "shade": cell["shade"], "label": cell["label"]}
    if include_intimacy and "mark" in cell:
        shared["day"] = cell["mark"]
    return shared
