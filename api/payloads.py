"""OpenAPI shapes of the payloads tracker/trends/ and tracker/insights.py build for the pages,
which the API returns unchanged."""

from tracker.measures import CHARTED

DAY = {"type": "string", "format": "date"}
TEXT = {"type": "string"}
COUNT = {"type": "integer"}
NUMBER_OR_NULL = {"type": "number", "nullable": True}


def _array(items: dict) -> dict:
    return {"type": "array", "items": items}


def _object(properties: dict) -> dict:
    return {"type": "object", "properties": properties, "required": list(properties)}


def _per_measure(schema: dict) -> dict:
    return _object({name: schema for name in CHARTED})


DAILY_INTIMACY = _object(
    {
        "granularity": {"type": "string", "enum": ["day"]},
        "activity": _array({**TEXT, "nullable": True}),
        "intensity": _array({**TEXT, "nullable": True}),
        "affection": _array({"type": "boolean", "nullable": True}),
    }
)

# Periods too long for a mark a day count intimacy by ISO week, even while the measures stay daily.
WEEKLY_INTIMACY = _object(
    {
        "granularity": {"type": "string", "enum": ["week"]},
        "days": {**_array(DAY), "description": "The Monday of each ISO week."},
        **{kind: _array(COUNT) for kind in ("solo", "partnered", "affection")},
    }
)

DAILY_SERIES = _object(
    {
        "granularity": {"type": "string", "enum": ["day"]},
        "days": _array(DAY),
        "measures": _per_measure(
            _object({"values": _array(NUMBER_OR_NULL), "rolling": _array(NUMBER_OR_NULL)})
        ),
        "intimacy": {"oneOf": [DAILY_INTIMACY, WEEKLY_INTIMACY]},
    }
)

WEEKLY_SERIES = _object(
    {
        "granularity": {"type": "string", "enum": ["week"]},
        "days": {**_array(DAY), "description": "The Monday of each ISO week."},
        "measures": _per_measure(
            _object({stat: _array(NUMBER_OR_NULL) for stat in ("mean", "min", "max")})
        ),
        "intimacy": WEEKLY_INTIMACY,
        "days_logged": _array(COUNT),
    }
)

NAMED_COUNT = _object({"name": TEXT, "days": COUNT})

SUMMARY = _object(
    {
        "measures": _array(
            _object(
                {
                    "name": TEXT,
                    "label": TEXT,
                    "scale": TEXT,
                    "mean": NUMBER_OR_NULL,
                    "previous_mean": NUMBER_OR_NULL,
                    "change": NUMBER_OR_NULL,
                    "days": COUNT,
                }
            )
        ),
        "days_logged": COUNT,
        "days_logged_before": COUNT,
        "coverage_percent": COUNT,
        "intimacy": _object(
            {
                name: COUNT
                for name in (
                    "solo",
                    "partnered",
                    "both",
                    "no_activity",
                    "activity_days",
                    "affection",
                )
            }
        ),
        "flare_days": COUNT,
        "top_symptoms": _array(NAMED_COUNT),
        "intimate_symptoms": {
            **_array(NAMED_COUNT),
            "description": "Sexual-health symptoms, counted apart from the others.",
        },
        "barriers": _array(NAMED_COUNT),
        "longest_streak": COUNT,
    }
)

TRENDS = _object(
    {
        "start": DAY,
        "end": DAY,
        "granularity": {
            "type": "string",
            "enum": ["day", "week"],
            "description": "Days up to a year; ISO weeks beyond.",
        },
        "series": {"oneOf": [DAILY_SERIES, WEEKLY_SERIES]},
        "summary": SUMMARY,
        "medications": _array(
            _object(
                {
                    "name": TEXT,
                    "dose": TEXT,
                    "started": DAY,
                    "stopped": {**DAY, "nullable": True},
                    "started_in_range": {"type": "boolean"},
                    "stopped_in_range": {"type": "boolean"},
                }
            )
        ),
        "sentences": _per_measure(TEXT),
    }
)

FINDING = _object(
    {
        "id": TEXT,
        "status": {"type": "string", "enum": ["ok", "insufficient_data"]},
        "estimate": NUMBER_OR_NULL,
        "ci_low": NUMBER_OR_NULL,
        "ci_high": NUMBER_OR_NULL,
        "n_pairs": COUNT,
        "n_with": {**COUNT, "nullable": True},
        "n_without": {**COUNT, "nullable": True},
        "clear": {"type": "boolean"},
        "summary": TEXT,
    }
)

INSIGHTS = _object({"start": DAY, "end": DAY, "findings": _array(FINDING)})
