"""The registry of measures (tracker/measures.py) is the one list every user of the measures reads:
the database's ranges, the log form's words, the trends, the insights' axes and wording, the
history's words, the export's columns, the API's fields, the flare calendar's shades and the
charts' JavaScript."""

import json
import re

import pytest
from django.db import IntegrityError, transaction

from api.serializers import EntrySerializer
from portability.exporting import DAY_FIELDS
from tests.factories import DailyEntryFactory
from tracker.forms import DailyEntryForm
from tracker.history import summarise
from tracker.insights import AXIS_REACH, QUESTIONS
from tracker.measures import (
    CHARTED,
    FLARE_BANDS,
    FLARE_DAY_SEVERITY,
    INTIMATE_MEASURES,
    MEASURES,
    SCALE_WORDS,
    SUMMARISED,
)
from tracker.trends.periods import resolve_period
from tracker.trends.series import trends_for

pytestmark = pytest.mark.usefixtures("clock")

RANGED = [measure for measure in MEASURES.values() if measure.name != "sleep_hours"]


def chart_measures(response) -> list[dict]:
    script = re.search(
        r'<script id="chart-measures" type="application/json">(.*?)</script>',
        response.content.decode(),
        flags=re.S,
    )
    return json.loads(script[1])


def test_the_registry_names_every_measure_once_with_its_label_scale_and_privacy():
    assert {name: (m.label, m.scale, m.intimate) for name, m in MEASURES.items()} == {
        "stress": ("Stress", "0-10", False),
        "sleep_hours": ("Hours slept", "0-24", False),
        "sleep_quality": ("Sleep quality", "1-5", False),
        "fatigue": ("Fatigue", "0-10", False),
        "flare_severity": ("Flare severity", "0-10", False),
        "libido": ("Desire", "1-5", True),
    }
    assert MEASURES["sleep_hours"].unit == "hours"


def test_the_trends_lists_come_from_the_registry():
    assert list(SUMMARISED) == list(MEASURES)
    assert list(CHARTED) == [name for name, m in MEASURES.items() if not m.intimate]
    assert CHARTED["sleep_hours"] == ("Hours slept", 12)
    assert INTIMATE_MEASURES == ("libido",)
    assert SCALE_WORDS["sleep_quality"] == "on the 1-5 scale"


@pytest.mark.parametrize("measure", RANGED, ids=lambda measure: measure.name)
def test_the_database_keeps_each_measure_on_its_scale(user, measure):
    DailyEntryFactory(user=user, **{measure.name: measure.highest})
    with pytest.raises(IntegrityError), transaction.atomic():
        DailyEntryFactory(user=user, **{measure.name: measure.highest + 1})


@pytest.mark.parametrize("measure", MEASURES.values(), ids=lambda measure: measure.name)
def test_the_log_form_asks_with_the_registrys_label_and_help(user, measure):
    field = DailyEntryForm(user=user).fields[measure.name]
    assert (field.label, field.help_text) == (measure.label, measure.help_text)


def test_the_export_has_a_column_for_every_measure():
    assert set(MEASURES) <= set(DAY_FIELDS)


def test_each_difference_is_drawn_on_its_measures_whole_scale():
    differences = [question for question in QUESTIONS if question.kind == "difference"]
    assert {question.id: AXIS_REACH[question.id] for question in differences} == {
        question.id: MEASURES[question.measure].highest - MEASURES[question.measure].lowest
        for question in differences
    }
    assert AXIS_REACH["intimacy_next_night_sleep_quality"] == 4


@pytest.mark.parametrize("path", ["/trends/", "/report/"])
def test_the_chart_pages_give_their_javascript_the_registrys_charted_measures(signed_in, path):
    # The labels and axis tops static/js/trends.js used to keep its own copy of.
    assert chart_measures(signed_in.get(path)) == [
        {"name": "stress", "label": "Stress", "top": 10, "unit": ""},
        {"name": "sleep_hours", "label": "Hours slept", "top": 12, "unit": "hours"},
        {"name": "sleep_quality", "label": "Sleep quality", "top": 5, "unit": ""},
        {"name": "fatigue", "label": "Fatigue", "top": 10, "unit": ""},
        {"name": "flare_severity", "label": "Flare severity", "top": 10, "unit": ""},
    ]


def test_the_summary_says_each_measures_scale_in_the_registrys_words(user):
    DailyEntryFactory(user=user, day=user.today(), sleep_hours=7, libido=3)
    summary = trends_for(user, resolve_period({}, user))["summary"]
    assert {m["name"]: m["scale"] for m in summary["measures"]} == SCALE_WORDS


def test_the_api_has_a_field_for_every_measure_in_the_exports_order():
    fields = list(EntrySerializer().fields)
    assert [name for name in fields if name in MEASURES] == [
        name for name in DAY_FIELDS if name in MEASURES
    ]
    assert fields[fields.index("physical_affection") + 1] == "libido"
    assert fields[fields.index("symptoms") - 1] == "flare_severity"


def test_the_history_writes_each_health_measure_in_the_registrys_words(user):
    entry = DailyEntryFactory(
        user=user, stress=0, sleep_hours=6.25, sleep_quality=5, fatigue=10, flare_severity=4
    )
    entry.refresh_from_db()
    assert summarise(entry) == [
        "Stress 0/10",
        "Slept 6.25 h",
        "Sleep very good",
        "Fatigue 10/10",
        "Flare 4/10",
    ]


def test_an_insight_names_a_scale_other_than_0_to_10_with_its_outcome():
    outcomes = {q.id: q.outcome for q in QUESTIONS if q.kind == "difference"}
    assert outcomes["intimacy_next_day_stress"] == "stress"
    assert outcomes["intimacy_next_night_sleep_quality"] == "sleep quality (on the 1-5 scale)"
    assert outcomes["intimacy_flare_next_2_days"] == "flare severity"


def test_the_flare_calendar_shades_each_severity_once_and_its_legend_says_which(signed_in, user):
    flare = MEASURES["flare_severity"]
    today = user.today()
    severities = range(flare.lowest, flare.highest + 1)
    for severity in severities:
        DailyEntryFactory(user=user, day=today.replace(day=1 + severity), flare_severity=severity)

    html = signed_in.get("/trends/").content.decode()

    for severity in severities:
        [band] = [band for band in FLARE_BANDS if band.lowest <= severity <= band.highest]
        day = today.replace(day=1 + severity)
        cell = f'<td class="heat heat--{band.shade}"><a href="/log/{day}/" '
        assert cell + f'aria-label="{day.day} November: flare {severity}"' in html
    assert [band.shade for band in FLARE_BANDS if band.lowest == FLARE_DAY_SEVERITY] == ["mid"]
    assert [band.label for band in FLARE_BANDS] == ["No flare", "1\u20134", "5\u20137", "8\u201310"]
    for band in FLARE_BANDS:
        legend = f'<span class="heat heat--{band.shade}" aria-hidden="true"></span> {band.label}'
        assert legend in html
