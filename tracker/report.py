"""The clinician report: a print-ready summary of one period for an appointment.

Intimacy details (sexual-health symptoms among them) and notes are the person's to share, so
they are left out unless asked for.
"""

from tracker.measures import FLARE_DAY_SEVERITY, INTIMATE_MEASURES, for_charts
from tracker.models import DailyEntry, Medication
from tracker.trends.periods import Period
from tracker.trends.series import charts, flare_episodes, trends_for, trends_within


def report_for(
    user,
    period: Period,
    *,
    include_notes: bool,
    include_intimacy: bool,
    within_period_only: bool = False,
) -> dict:
    """The report's numbers and lists. `within_period_only` leaves out everything read from
    days before the period (the previous period's averages), for a share link."""
    payload = trends_within(user, period) if within_period_only else trends_for(user, period)
    summary = payload["summary"]
    measures = [
        measure
        for measure in summary["measures"]
        if include_intimacy or measure["name"] not in INTIMATE_MEASURES
    ]
    flare_notes = []
    if include_notes:
        flare_notes = (
            DailyEntry.objects.for_user(user)
            .between(period.start, period.end)
            .filter(flare_severity__gte=FLARE_DAY_SEVERITY)
            .exclude(notes="")
            .order_by("day")
            .values_list("day", "flare_severity", "notes")
        )
    series = {
        key: value
        for key, value in payload["series"].items()
        if include_intimacy or key != "intimacy"
    }
    return {
        "payload": payload,
        "chart_data": {"series": series, "medications": payload["medications"]},
        "chart_measures": for_charts(),
        "measures": measures,
        "charts": charts(payload),
        "conditions": list(user.conditions.all()),
        "medications": list(
            Medication.objects.for_user(user)
            .overlapping(period.start, period.end)
            .order_by("started", "name")
        ),
        "flare_episodes": flare_episodes(user, period),
        "flare_notes": list(flare_notes),
        "include_notes": include_notes,
        "include_intimacy": include_intimacy,
        "within_period_only": within_period_only,
    }
