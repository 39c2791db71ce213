"""The API against its own OpenAPI schema: schemathesis generates requests for every operation
(valid ones and invalid ones) against a live server and runs all its checks on the answers.

Some rules can't be written in OpenAPI: a day must be today or earlier in the person's time zone,
a symptom must be one they have, intensity needs an activity, a medication can't stop before it
started, a custom range needs both ends. Dates are therefore generated from 1900 to yesterday, and
on the operations that have such rules a 400 is an accepted answer to schema-valid input (their
400s are pinned by the tests beside this one); every other check runs unchanged everywhere.
"""

import datetime
import gc

import pytest
import schemathesis
from django.core.servers.basehttp import WSGIRequestHandler
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events

from accounts.tokens import create_token
from tests.factories import DailyEntryFactory, MedicationFactory, SymptomFactory, UserFactory
from tracker.models import FIRST_DAY

pytestmark = pytest.mark.django_db(transaction=True)

MAX_EXAMPLES = 20

# Schema-valid input these operations may still refuse, for the reasons in the module docstring.
RULES_BEYOND_THE_SCHEMA = [
    "PUT /api/v1/entries/{day}/",
    "PATCH /api/v1/entries/{day}/",
    "POST /api/v1/symptoms/",  # blank or already-listed names
    "POST /api/v1/medications/",
    "PUT /api/v1/medications/{id}/",
    "PATCH /api/v1/medications/{id}/",
    "PATCH /api/v1/me/",  # other_condition needs "Other" ticked
    "GET /api/v1/trends/",
    "GET /api/v1/insights/",
]
# A generated If-Match is schema-valid but names a version the day does not have: the right
# answer is 412, whichever phase (including the stateful one) sends it.
STALE_VERSION = "412"


@pytest.fixture
def api_schema(live_server, monkeypatch, tmp_path):
    # Hypothesis keeps caches in ./.hypothesis by default; keep them out of the checkout.
    set_hypothesis_home_dir(tmp_path)
    # Hundreds of requests in a few seconds: lift the throttles for this run only.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None})
    # Django's test server writes headers and body separately; on a kept-alive connection Nagle's
    # algorithm then holds the body for the client's delayed ACK, 40 ms a request.
    monkeypatch.setattr(WSGIRequestHandler, "disable_nagle_algorithm", True)
    person = UserFactory(email="schemathesis@example.org")
    today = datetime.date.today()
    for days_ago in range(1, 15):
        DailyEntryFactory(user=person, day=today - datetime.timedelta(days=days_ago))
    SymptomFactory(owner=person, name="Hives")
    MedicationFactory(user=person)
    _, secret = create_token(person, "schemathesis")

    # Days every time zone has reached: from 1900 to yesterday (UTC).
    yesterday = datetime.datetime.now(datetime.UTC).date() - datetime.timedelta(days=1)
    schemathesis.openapi.format("date", st.dates(FIRST_DAY, yesterday).map(datetime.date.isoformat))
    config = SchemathesisConfig.from_dict(
        {
            "base-url": live_server.url,
            "headers": {"Authorization": f"Bearer {secret}"},
            "generation": {"max-examples": MAX_EXAMPLES, "database": "none"},
            "cache": {"enabled": False},  # each run starts afresh, leaving nothing behind
            "checks": {
                "positive_data_acceptance": {
                    "expected-statuses": ["2xx", "401", "403", "404", "429", STALE_VERSION]
                }
            },
            "operations": [
                {
                    "include-name": name,
                    "checks": {
                        "positive_data_acceptance": {
                            "expected-statuses": [
                                "2xx",
                                "400",
                                "401",
                                "403",
                                "404",
                                "429",
                                STALE_VERSION,
                            ]
                        }
                    },
                }
                for name in RULES_BEYOND_THE_SCHEMA
            ],
        }
    )
    yield schemathesis.openapi.from_url(
        f"{live_server.url}/api/v1/schema/?format=json", config=config
    )
    set_hypothesis_home_dir(None)


def _problems(event) -> list[str]:
    """What schemathesis found in one engine event, as readable text."""
    if isinstance(event, events.FatalError):
        raise event.exception
    if isinstance(event, events.NonFatalError):
        return [f"{event.label}: {event.info.format()}"]
    if not isinstance(event, events.ScenarioFinished) or event.status != Status.FAILURE:
        return []
    return [
        f"{event.label} ({event.phase.value}): {check.name}: {check.failure_info.failure.title}\n"
        f"{check.failure_info.failure.message}\n{check.failure_info.code_sample}"
        for checks in event.recorder.checks.values()
        for check in checks
        if check.status == Status.FAILURE
    ]


def test_every_operation_answers_as_its_schema_says(api_schema):
    problems = []
    for event in schemathesis.engine.from_schema(api_schema).execute():
        problems.extend(_problems(event))
    # Close schemathesis's kept-alive connections, so the server's threads let go of the database.
    gc.collect()
    assert not problems, "\n\n".join(problems)
