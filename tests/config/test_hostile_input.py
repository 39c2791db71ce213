"""Hostile input on the log form, the API and import: any input answers 2xx or a 4xx that says
what is wrong, never a 500, and the database only ever holds valid rows (property-based, with
hypothesis)."""

import csv
import datetime
import io
import json
import math
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.tokens import create_token
from config.safe_json import MAX_DEPTH
from tracker.models import DailyEntry

YESTERDAY = datetime.date(2026, 11, 24)
FORM_URL = f"/log/{YESTERDAY}/"
API_URL = f"/api/v1/entries/{YESTERDAY}/"
SCALES = ["stress", "fatigue", "flare_severity", "discomfort"]
CHOICES = ["sexual_activity", "intensity", "satisfaction", "libido", "sleep_quality"]
FIELDS = [*SCALES, *CHOICES, "sleep_hours", "physical_affection", "notes"]
LISTS = ["symptoms", "intimacy_barriers"]
HYPOTHESIS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text people might send on purpose or by accident: control characters, NUL, right-to-left
# marks, emoji, markup, numbers no field accepts, and very long strings.
nasty_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "7\x00",
            "\u202e01",
            "١٢",
            "7.5\n",
            "NaN",
            "nan",
            "inf",
            "-Infinity",
            "1e309",
            "-1",
            "11",
            "24.25",
            "7.3",
            "99999999999999999999",
            "0x10",
            "True",
            "partnered ",
            "<script>alert(1)</script>",
            "0001-01-01",
            "9999-12-31",
            "2026-02-30",
        ]
    ),
    st.text(min_size=2001, max_size=2100),
)
json_value = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | nasty_text,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def signed_in_browser(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture
def script(user):
    secret = create_token(user, "Script")[1]
    return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {secret}")


def assert_only_valid_rows() -> None:
    """The constraints make invalid rows impossible; full_clean says so in the model's terms."""
    for entry in DailyEntry.objects.all():
        entry.full_clean()
        assert entry.day <= YESTERDAY + datetime.timedelta(days=1)
        assert "\x00" not in entry.notes


def api_errors(response) -> dict[str, list[str]]:
    errors = response.json()["errors"]
    assert errors and all(
        isinstance(messages, list) and messages and all(isinstance(m, str) and m for m in messages)
        for messages in errors.values()
    )
    return errors


@HYPOTHESIS
@given(
    data=st.dictionaries(
        st.sampled_from([*FIELDS, *LISTS, "new_symptom", "unknown_field"]),
        st.one_of(nasty_text, st.lists(nasty_text, min_size=2, max_size=3)),
        max_size=8,
    )
)
def test_the_log_form_answers_any_post_with_a_save_or_messages_next_to_fields(
    signed_in_browser, user, data
):
    response = signed_in_browser.post(FORM_URL, data)

    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:
        page = response.content.decode()
        assert "Nothing was saved yet" in page
        errors = response.context["form"].errors
        assert errors
        for message in (message for messages in errors.values() for message in messages):
            assert escape(message) in page
    else:
        assert response["Location"] == FORM_URL
    assert_only_valid_rows()


@HYPOTHESIS
@given(body=st.dictionaries(st.sampled_from([*FIELDS, *LISTS, "day", "extra"]), json_value))
def test_the_api_answers_any_json_body_with_a_save_or_field_errors(script, user, body):
    for method in ("put", "patch"):
        response = getattr(script, method)(API_URL, body, content_type="application/json")

        assert response.status_code in (200, 201, 400, 404), response.status_code
        if response.status_code == 400:
            api_errors(response)
        if response.status_code in (200, 201):
            saved = response.json()
            assert saved == script.get(API_URL).json()
            for name, value in body.items():
                if name in FIELDS and name != "sleep_hours":
                    assert saved[name] == value
                elif name == "sleep_hours" and value is not None:
                    assert math.isclose(saved[name], value)
    assert_only_valid_rows()


@HYPOTHESIS
@given(raw=st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode)))
def test_the_api_answers_any_bytes_with_400_not_500(script, raw):
    response = script.put(API_URL, raw, content_type="application/json")

    assert response.status_code in (200, 201, 400), response.status_code
    if response.status_code == 400:
        api_errors(response)
    assert_only_valid_rows()


@pytest.mark.parametrize(
    "body",
    [
        '{"stress": NaN}',
        '{"stress": Infinity}',
        '{"sleep_hours": -Infinity}',
        '{"sleep_hours": 1e999}',
        '{"stress": 1e999}',
        '{"stress": 99999999999999999999999999}',
        '{"stress": 4.0}',
        '{"stress": "4"}',
        '{"stress": true}',
        '{"stress": [4]}',
        '{"stress": {"value": 4}}',
        '{"stress": 11}',
        '{"stress": -1}',
        '{"sleep_hours": 7.3}',
        '{"sleep_hours": 24.25}',
        '{"notes": 5}',
        '{"notes": "\\u0000"}',
        '{"symptoms": "Joint pain"}',
        '{"symptoms": [5]}',
        '{"physical_affection": "yes"}',
        '{"intensity": "gentle"}',
        "[1, 2]",
        '"stress"',
        "null",
        "{",
    ],
)
def test_wrong_types_and_impossible_numbers_are_refused_with_a_message(script, user, body):
    response = script.put(API_URL, body, content_type="application/json")

    assert response.status_code == 400
    assert api_errors(response)
    assert not DailyEntry.objects.filter(user=user).exists()


def nested(depth: int, inner: str = "1") -> str:
    return "[" * depth + inner + "]" * depth


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 50_000])
def test_json_nested_too_deeply_is_refused_with_a_message(script, user, depth):
    response = script.put(API_URL, f'{{"notes": {nested(depth)}}}', content_type="application/json")

    assert response.status_code == 400
    assert "nested too deeply" in " ".join(api_errors(response)["detail"])
    assert not DailyEntry.objects.exists()


def test_json_nested_as_deep_as_allowed_is_read_and_its_values_checked(script, user):
    body = {"symptoms": json.loads(nested(MAX_DEPTH - 2)), "stress": 4}

    response = script.put(API_URL, body, content_type="application/json")

    assert response.status_code == 400
    assert "symptoms" in api_errors(response)
    assert "detail" not in api_errors(response)


def test_a_duplicate_key_counts_once_and_the_value_is_still_checked(script, user):
    refused = script.put(API_URL, '{"stress": 3, "stress": 11}', content_type="application/json")
    saved = script.put(API_URL, '{"stress": 11, "stress": 3}', content_type="application/json")

    assert refused.status_code == 400 and "stress" in api_errors(refused)
    assert saved.status_code == 201 and saved.json()["stress"] == 3


def test_a_duplicate_form_field_is_refused_or_saved_once_never_a_500(signed_in_browser, user):
    response = signed_in_browser.post(FORM_URL, {"stress": ["3", "11"], "sleep_hours": ["7", "x"]})

    assert response.status_code in (200, 302)
    assert_only_valid_rows()


@pytest.mark.parametrize(
    "day", ["0001-01-01", "1899-12-31", "9999-12-31", "2026-02-30", "2026-13-01"]
)
def test_impossible_or_unloggable_days_are_refused_by_the_api(script, day):
    response = script.put(f"/api/v1/entries/{day}/", {"stress": 3}, content_type="application/json")

    assert response.status_code == 400
    assert api_errors(response)["day"]
    assert not DailyEntry.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "9999-12-31", "2026-02-30"])
def test_impossible_or_unloggable_days_in_the_form_address_lead_back_to_today(
    signed_in_browser, day
):
    response = signed_in_browser.post(f"/log/{day}/", {"stress": "3"})

    assert response.status_code == 302
    assert response["Location"] == "/log/"
    assert not DailyEntry.objects.exists()


def test_an_enormous_form_post_is_refused_cleanly(signed_in_browser, user):
    body = urlencode({"notes": "x" * 3_000_000})  # as a browser sends this form

    response = signed_in_browser.post(
        FORM_URL, body, content_type="application/x-www-form-urlencoded"
    )
    as_multipart = signed_in_browser.post(FORM_URL, {"notes": "x" * 3_000_000})

    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert as_multipart.status_code == 400  # Django's own limit for the fields of an upload
    assert not DailyEntry.objects.exists()


def test_an_enormous_api_body_is_refused_with_a_message(script, user):
    body = json.dumps({"notes": "x" * 3_000_000})

    response = script.put(API_URL, body, content_type="application/json")

    assert response.status_code == 413
    assert "too large" in " ".join(api_errors(response)["detail"])
    assert not DailyEntry.objects.exists()


def test_notes_longer_than_allowed_are_refused_with_a_message(script, signed_in_browser):
    too_long = "a" * 2001

    api = script.put(API_URL, {"notes": too_long}, content_type="application/json")
    form = signed_in_browser.post(FORM_URL, {"notes": too_long})

    assert api.status_code == 400 and api_errors(api)["notes"]
    assert form.status_code == 200 and "Nothing was saved yet" in form.content.decode()
    assert not DailyEntry.objects.exists()


def test_markup_in_notes_is_kept_as_written_and_shown_escaped(signed_in_browser, script):
    markup = '<script>alert("hi")</script><img src=x onerror=alert(1)> & ünïcødé'

    saved = script.put(API_URL, {"notes": markup}, content_type="application/json")
    page = signed_in_browser.get(FORM_URL).content.decode()

    assert saved.status_code == 201 and saved.json()["notes"] == markup
    assert "&lt;script&gt;alert(&quot;hi&quot;)&lt;/script&gt;" in page
    assert "<script>alert" not in page and "<img src=x" not in page


# Import ----------------------------------------------------------------------------------------

IMPORT_URL = "/account/data/import/"
CSV_COLUMNS = ["day", *FIELDS, *LISTS, "created_at", "updated_at", "extra"]
csv_cell = st.one_of(
    nasty_text.filter(lambda text: len(text) < 3000),
    st.dates().map(datetime.date.isoformat),
    st.sampled_from(["Joint pain;Brain fog", "Pain", '"quoted, with comma"', "a\nb"]),
)


def upload(signed_in_browser, name: str, content: bytes, existing: str = "skip"):
    file = SimpleUploadedFile(name, content)
    return signed_in_browser.post(IMPORT_URL, {"file": file, "existing": existing})


def assert_all_or_nothing(response, before: int) -> None:
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:  # refused: the page says why and nothing was written
        assert "Nothing was imported" in response.content.decode()
        assert DailyEntry.objects.count() == before
    assert_only_valid_rows()


@HYPOTHESIS
@given(
    columns=st.lists(st.sampled_from(CSV_COLUMNS), min_size=1, max_size=6, unique=True),
    rows=st.lists(st.lists(csv_cell, min_size=0, max_size=7), max_size=5),
)
def test_any_csv_file_is_imported_whole_or_refused_whole(signed_in_browser, user, columns, rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows(rows)
    before = DailyEntry.objects.count()

    response = upload(signed_in_browser, "days.csv", out.getvalue().encode())

    assert_all_or_nothing(response, before)


@HYPOTHESIS
@given(
    document=st.one_of(
        json_value,
        st.fixed_dictionaries(
            {"format": st.just("hearth-export"), "version": st.sampled_from([1, 2, "1", None])},
            optional={
                "days": st.lists(
                    st.dictionaries(st.sampled_from(["day", *FIELDS, *LISTS]), json_value),
                    max_size=4,
                ),
                "symptoms": json_value,
                "medications": json_value,
                "profile": json_value,
            },
        ),
    )
)
def test_any_json_file_is_imported_whole_or_refused_whole(signed_in_browser, user, document):
    before = DailyEntry.objects.count()

    response = upload(signed_in_browser, "export.json", json.dumps(document).encode())

    assert_all_or_nothing(response, before)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("export.json", b"\xff\xfe\x00garbage"),
        (
            "export.json",
            b'{"format": "hearth-export", "version": 1, "days": [{"day": "2026-02-30"}]}',
        ),
        ("days.csv", b"day,stress\n9999-12-31,4\n"),
        ("days.csv", b"day,stress\n0001-01-01,4\n"),
        ("days.csv", b"day,stress,stress\n2026-11-20,4,5\n"),
        ("days.csv", b"\x00\x00\x00"),
        ("days.txt", b"day,stress\n2026-11-20,4\n"),
        ("days.csv", b""),
    ],
)
def test_broken_files_are_refused_with_a_message_and_nothing_written(
    signed_in_browser, user, name, content
):
    response = upload(signed_in_browser, name, content)

    assert response.status_code == 200
    assert DailyEntry.objects.count() == 0


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 50_000])
def test_an_import_nested_too_deeply_is_refused_with_a_message(signed_in_browser, user, depth):
    export = f'{{"format": "hearth-export", "version": 1, "days": {nested(depth, "{}")}}}'

    response = upload(signed_in_browser, "export.json", export.encode())

    assert response.status_code == 200
    assert "The JSON is nested too deeply" in response.content.decode()
    assert not DailyEntry.objects.exists()


@pytest.mark.parametrize("hours", ["1E309", "-1E309", "1e400", "24.000000001"])
def test_hours_beyond_any_float_are_refused_on_the_form_not_a_500(signed_in_browser, user, hours):
    response = signed_in_browser.post(FORM_URL, {"sleep_hours": hours})

    assert response.status_code == 200
    assert "Nothing was saved yet" in response.content.decode()
    assert not DailyEntry.objects.exists()
