"""The registry of measures (tracker/measures.py) is the one list every user of the measures reads:
the database's ranges, the log form's words, the trends, the insights' axes, the export's columns
and the charts' JavaScript."""

import json
import re

import pytest
from django.db import IntegrityError, transaction

from portability.exporting import DAY_FIELDS
from tests.factories import DailyEntryFactory
from tracker.forms import DailyEntryForm
from tracker.insights import AXIS_REACH, QUESTIONS
from tracker.measures import CHARTED, INTIMATE_MEASURES, MEASURES, SCALE_WORDS, SUMMARISED
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
