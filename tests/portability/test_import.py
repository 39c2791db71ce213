"""/account/data/import/: Hearth's own JSON export or a CSV back in, all or nothing, with every
row checked by the log form's rules and a report of problems by line."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Condition, SecurityEvent, User
from portability import exporting, forms, importing
from tests.conftest import NOW, TODAY, reauthenticate
from tests.factories import DailyEntryFactory, MedicationFactory, SymptomFactory
from tests.pages import words
from tracker.models import DailyEntry, IntimacyBarrier, Medication, Symptom

URL = "/account/data/import/"
HEADER = ",".join(exporting.DAY_FIELDS)


pytestmark = pytest.mark.usefixtures("clock")


def upload(client, name: str, content: str | bytes, existing: str = "skip", profile=False):
    content = content.encode() if isinstance(content, str) else content
    data = {"file": SimpleUploadedFile(name, content), "existing": existing}
    if profile:
        data["profile"] = "on"
    return client.post(URL, data, follow=True)


def export_of(client, user, kind: str) -> str:
    reauthenticate(client, user)
    response = client.get(f"/account/data/export.{kind}")
    return b"".join(response.streaming_content).decode()


def days_of(user) -> dict:
    return {
        entry.day: (entry.stress, entry.notes, sorted(s.name for s in entry.symptoms.all()))
        for entry in DailyEntry.objects.for_user(user)
    }


def csv_file(*rows: str, header: str = "day,stress,symptoms,notes") -> str:
    return "\r\n".join([header, *rows]) + "\r\n"


def report(response) -> str:
    return words(response).split("need fixing")[-1] if "fixing" in words(response) else ""


@pytest.fixture
def rich_journal(user, freeze_time):
    """Sixty days written over time, with own and catalogue symptoms, barriers, notes that
    need escaping, medications and a full profile."""
    user.display_name = "Ada"
    user.time_zone = "America/New_York"
    user.other_condition = "Behçet's"
    user.discreet_mode = True
    user.idle_timeout_minutes = 60
    user.save()
    user.conditions.set(Condition.objects.filter(slug__in=["lupus", "other"]))
    hives = SymptomFactory(owner=user, name="Hives")
    SymptomFactory(owner=user, name="Jaw ache")  # never ticked, still theirs
    joint_pain = Symptom.objects.get(owner=None, name="Joint pain")
    barriers = list(IntimacyBarrier.objects.filter(slug__in=["pain", "fatigue"]))
    for number in range(60):
        freeze_time(f"2026-09-{1 + number % 28:02d}T{number % 24:02d}:15:30.123456+00:00")
        entry = DailyEntryFactory(
            user=user,
            day=TODAY - datetime.timedelta(days=number + 1),
            sexual_activity=["none", "solo", "partnered", None][number % 4],
            intensity="moderate" if number % 4 in (1, 2) else None,
            satisfaction=number % 5 + 1 if number % 4 in (1, 2) else None,
            physical_affection=[True, False, None][number % 3],
            libido=number % 5 + 1,
            stress=number % 11,
            sleep_hours=Decimal(number % 40) / 4,
            sleep_quality=None if number % 6 else 3,
            fatigue=None,
            flare_severity=number % 7,
            notes=["", 'Sore, "stiff"\nand tired; ça va 痛い', "=1+1, a comma"][number % 3],
        )
        entry.symptoms.set([hives, joint_pain][: number % 3])
        entry.intimacy_barriers.set(barriers[: number % 2 + 1] if number % 4 == 3 else [])
    MedicationFactory(user=user, name="Methotrexate", note='With food,\n"weekly"')
    MedicationFactory(
        user=user,
        name="Prednisolone",
        started=datetime.date(2025, 1, 1),
        stopped=datetime.date(2025, 3, 1),
    )
    freeze_time(NOW)
    return user


def comparable(export: str) -> dict:
    """An export without what differs between accounts and exports by design: when it was
    made, the account's email and sign-up, its tokens and its security activity."""
    data = json.loads(export)
    for name in ("email", "date_joined", "consent_given_at", "consent_version"):
        del data["profile"][name]
    for name in ("exported_at", "api_tokens", "security_activity"):
        del data[name]
    return data


def test_a_json_export_imported_into_an_empty_account_reproduces_it_exactly(
    client, rich_journal, other_user
):
    client.force_login(rich_journal)
    original = export_of(client, rich_journal, "json")
    client.force_login(other_user)

    response = upload(client, "hearth.json", original, profile=True)

    assert "Imported 60 new days" in words(response)
    assert comparable(export_of(client, other_user, "json")) == comparable(original)
    assert len(comparable(original)["days"]) == 60


def test_a_csv_export_imported_into_an_empty_account_reproduces_its_days_exactly(
    client, rich_journal, other_user
):
    client.force_login(rich_journal)
    original = export_of(client, rich_journal, "csv")
    client.force_login(other_user)

    response = upload(client, "hearth.csv", original)

    assert "Imported 60 new days" in words(response)
    assert export_of(client, other_user, "csv") == original
    assert set(Symptom.objects.owned_by(other_user).values_list("name", flat=True)) == {"Hives"}


def test_nothing_is_written_when_any_row_is_wrong_and_each_problem_is_shown_by_line(
    signed_in, user
):
    data_version = User.objects.get(pk=user.pk).data_version
    content = csv_file(
        "2026-11-20,4,Joint pain,fine",
        '2026-11-21,11,,"two\nlines"',
        "2026-11-22,3,,",
        "2026-13-01,2,,",
    )

    response = upload(signed_in, "days.csv", content)

    assert response.status_code == 200
    assert DailyEntry.objects.for_user(user).count() == 0
    assert User.objects.get(pk=user.pk).data_version == data_version
    text = words(response)
    assert "Nothing was imported: 2 places in the file need fixing" in text
    assert "Line 3 Stress: Choose a number from 0 to 10, or Skip." in text
    # The note on line 3 runs over two lines, so the rows after it start on lines 5 and 6.
    assert "Line 6 “2026-13-01” is not a real date." in text
    assert "Line 2" not in text and "Line 5" not in text
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.IMPORT).exists()


def test_the_log_forms_rules_apply_to_every_row(signed_in, user):
    content = csv_file(
        "2026-11-20,,,",
        "2026-11-21,,,",
        "2026-11-22,,,",
        "2026-11-23,,,",
        header="day,sexual_activity,intensity,sleep_hours",
    ).replace("2026-11-20,,,", "2026-11-20,none,gentle,")
    content = content.replace("2026-11-21,,,", "2026-11-21,,,7.3")
    content = content.replace("2026-11-22,,,", "2026-11-22,daily,,")
    content = content.replace("2026-11-23,,,", "2026-11-30,,,")

    text = words(upload(signed_in, "days.csv", content))

    assert "Line 2 How intense was it?: This describes sexual activity." in text
    assert "Line 3 Hours slept: Use quarter hours" in text
    assert "Line 4 Sexual activity: Choose one of the options shown, or Skip." in text
    assert "Line 5 2026-11-30 hasn't happened yet." in text
    assert DailyEntry.objects.count() == 0


def test_a_day_twice_in_the_file_is_a_problem(signed_in):
    text = words(upload(signed_in, "days.csv", csv_file("2026-11-20,1,,", "2026-11-20,2,,")))

    assert "Line 3 The day 2026-11-20 is in the file twice (also at Line 2)." in text
    assert DailyEntry.objects.count() == 0


def test_skip_keeps_the_days_already_logged_and_adds_the_others(signed_in, user):
    DailyEntryFactory(user=user, day=datetime.date(2026, 11, 20), stress=2, notes="mine")
    content = csv_file("2026-11-20,9,Hives,theirs", "2026-11-21,5,Joint pain,new")

    response = upload(signed_in, "days.csv", content, existing="skip")

    assert "Imported 1 new day, and kept your own 1 where the file had them too" in words(response)
    assert days_of(user) == {
        datetime.date(2026, 11, 20): (2, "mine", []),
        datetime.date(2026, 11, 21): (5, "new", ["Joint pain"]),
    }


def test_overwrite_replaces_the_days_already_logged(signed_in, user):
    kept = DailyEntryFactory(user=user, day=datetime.date(2026, 11, 20), stress=2, notes="mine")
    kept.symptoms.set([Symptom.objects.get(owner=None, name="Fever")])
    untouched = DailyEntryFactory(user=user, day=datetime.date(2026, 11, 1), stress=1)
    content = csv_file("2026-11-20,9,Hives;Joint pain,theirs", "2026-11-21,5,,new")

    response = upload(signed_in, "days.csv", content, existing="overwrite")

    assert "Imported 1 new day and replaced 1" in words(response)
    assert days_of(user) == {
        datetime.date(2026, 11, 1): (1, "", []),
        datetime.date(2026, 11, 20): (9, "theirs", ["Hives", "Joint pain"]),
        datetime.date(2026, 11, 21): (5, "new", []),
    }
    assert DailyEntry.objects.get(pk=kept.pk).fatigue is None  # replaced, not merged
    assert DailyEntry.objects.get(pk=untouched.pk).stress == 1


def test_unknown_symptoms_become_the_persons_own_and_never_someone_elses(
    signed_in, user, other_user
):
    theirs = SymptomFactory(owner=other_user, name="Night sweats")

    response = upload(signed_in, "days.csv", csv_file("2026-11-20,,night  SWEATS;Fever,"))

    assert "also 1 new symptom of your own" in words(response)
    mine = Symptom.objects.get(owner=user)
    assert mine.name == "night SWEATS"
    entry = DailyEntry.objects.get(user=user)
    assert set(entry.symptoms.all()) == {mine, Symptom.objects.get(owner=None, name="Fever")}
    assert theirs not in entry.symptoms.all()


def test_an_unknown_barrier_is_a_problem(signed_in):
    content = csv_file("2026-11-20,Pain;Boredom", header="day,intimacy_barriers")

    text = words(upload(signed_in, "days.csv", content))

    assert "Line 2 “Boredom” is not one of the things that held you back." in text
    assert DailyEntry.objects.count() == 0


def test_an_import_marks_cached_summaries_stale_and_is_in_the_security_activity(signed_in, user):
    before = User.objects.get(pk=user.pk).data_version

    upload(signed_in, "days.csv", csv_file("2026-11-20,4,,"))

    assert User.objects.get(pk=user.pk).data_version > before
    events = SecurityEvent.objects.filter(user=user).values_list("kind", flat=True)
    assert list(events) == [SecurityEvent.Kind.IMPORT]


def test_medications_with_the_same_name_and_start_are_skipped_or_replaced(signed_in, user):
    MedicationFactory(user=user, name="Methotrexate", started="2026-01-05", dose="10 mg")
    export = {
        "format": "hearth-export",
        "version": 1,
        "medications": [
            {"name": "methotrexate", "dose": "15 mg", "started": "2026-01-05", "stopped": None},
            {"name": "Folic acid", "dose": "5 mg", "started": "2026-01-05", "note": ""},
        ],
    }

    upload(signed_in, "hearth.json", json.dumps(export), existing="skip")
    assert sorted(Medication.objects.for_user(user).values_list("name", "dose")) == [
        ("Folic acid", "5 mg"),
        ("Methotrexate", "10 mg"),
    ]

    upload(signed_in, "hearth.json", json.dumps(export), existing="overwrite")
    assert sorted(Medication.objects.for_user(user).values_list("name", "dose")) == [
        ("Folic acid", "5 mg"),  # the same medication again, not a second copy
        ("methotrexate", "15 mg"),
    ]


def test_the_profile_is_only_imported_when_asked(signed_in, user):
    export = {
        "format": "hearth-export",
        "version": 1,
        "profile": {
            "display_name": "Imported",
            "time_zone": "Asia/Tokyo",
            "conditions": ["lupus"],
            "other_condition": "",
            "discreet_mode": True,
            "idle_timeout_minutes": 15,
        },
        "days": [{"day": "2026-11-20", "stress": 3}],
    }

    upload(signed_in, "hearth.json", json.dumps(export))
    user.refresh_from_db()
    assert (user.display_name, user.time_zone) == ("", "Europe/London")

    upload(signed_in, "hearth.json", json.dumps(export), profile=True)
    user.refresh_from_db()
    assert (user.display_name, user.time_zone, user.discreet_mode) == (
        "Imported",
        "Asia/Tokyo",
        True,
    )
    assert user.idle_timeout_minutes == 15
    assert list(user.conditions.values_list("slug", flat=True)) == ["lupus"]


def test_a_profile_the_profile_page_would_refuse_is_a_problem(signed_in, user):
    export = {
        "format": "hearth-export",
        "version": 1,
        "profile": {"time_zone": "Mars/Olympus", "conditions": ["gout"]},
        "days": [{"day": "2026-11-20", "stress": 3}],
    }

    text = words(upload(signed_in, "hearth.json", json.dumps(export), profile=True))

    assert "Profile “gout” is not a condition in the list." in text
    assert "“Mars/Olympus” is not a time zone we know." in text
    assert DailyEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.txt", "day\n2026-11-20\n", "Choose a .json file exported from Hearth, or a .csv"),
        ("days.csv", b"day\n\xff\xfe2026", "This file is not text Hearth can read."),
        ("hearth.json", "{not json", "This is not valid JSON (line 1"),
        ("hearth.json", '{"days": []}', "This is not a Hearth export"),
        ("hearth.json", '{"format": "hearth-export", "version": 2}', "this Hearth reads version 1"),
        ("days.csv", "day,mood\n2026-11-20,happy\n", "“mood” is not a column Hearth knows."),
        ("days.csv", "stress\n4\n", "The “day” column is missing."),
        ("days.csv", "", "The submitted file is empty."),
        ("days.csv", b"\xef\xbb\xbf", "The file is empty."),
        ("days.csv", "day,stress\n", "There is nothing in this file to import."),
        ("days.csv", "day,stress\n2026-11-20,1,2\n", "This line has 3 values"),
        (
            "hearth.json",
            '{"format": "hearth-export", "version": 1, "days": [{"day": "2026-11-20", "mood": 1}]}',
            "Day 1 (2026-11-20) “mood” is not a field Hearth knows.",
        ),
    ],
)
def test_files_hearth_cannot_import_are_refused_with_a_reason(signed_in, name, content, message):
    response = upload(signed_in, name, content)

    assert response.status_code == 200
    assert "Nothing was imported." in words(response)
    assert message in words(response)
    assert DailyEntry.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused_with_a_message_and_the_choices_kept(
    signed_in, settings
):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    content = csv_file(*[f"2026-11-20,1,,{'x' * 1000}"] * 1100)

    response = upload(signed_in, "days.csv", content, existing="overwrite")

    text = words(response)
    assert "This file is 1.1 MB, and Hearth imports files of up to 1 MB." in text
    assert "This field is required" not in text
    assert 'value="overwrite" required id="id_existing_1" checked' in response.content.decode()
    assert DailyEntry.objects.count() == 0


def test_the_page_says_how_many_days_a_file_may_hold(signed_in):
    text = words(signed_in.get(URL))

    assert "up to 20 MB and 20,000 days (about 55 years)" in text
    assert "A file may hold up to 20,000 days (about 55 years)." in text


def test_a_file_with_more_days_than_allowed_is_refused_before_any_day_is_checked(
    signed_in, settings, monkeypatch
):
    settings.IMPORT_MAX_DAYS = 1000
    monkeypatch.setattr(importing, "check_import", lambda *args, **kwargs: pytest.fail())
    days = [TODAY - datetime.timedelta(days=number + 1) for number in range(1001)]
    content = csv_file(*[f"{day},1,," for day in days])

    text = words(upload(signed_in, "days.csv", content))

    assert "This file has 1,001 days, and Hearth imports up to 1,000 days" in text
    assert "Split it into smaller files" in text
    assert DailyEntry.objects.count() == 0


def test_days_are_counted_in_json_exports_too(signed_in, settings):
    settings.IMPORT_MAX_DAYS = 2
    days = [{"day": f"2026-11-{number:02d}"} for number in (1, 2, 3)]
    export = {"format": "hearth-export", "version": 1, "days": days}

    text = words(upload(signed_in, "hearth.json", json.dumps(export)))

    assert "This file has 3 days, and Hearth imports up to 2 days" in text
    assert DailyEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("kind", "text", "days"),
    [
        ("csv", "day,stress\r\n2026-11-20,1\r\n\r\n,\r\n2026-11-21,2\r\n", 2),
        ("csv", 'day,notes\n2026-11-20,"a\nb"\n', 1),
        ("csv", "", 0),
        ("csv", 'day,notes\n2026-11-20,"open\n', 1),
        ("json", '{"format": "hearth-export", "days": [{}, {}]}', 2),
        ("json", '{"days": {"day": "2026-11-20"}}', 0),
        ("json", "[1, 2]", 0),
        ("json", "{not json", 0),
    ],
)
def test_days_are_counted_without_being_checked(kind, text, days):
    assert forms.count_days(kind, text) == days


def test_without_a_file_the_form_says_so_and_keeps_the_choice(signed_in):
    response = signed_in.post(URL, {"existing": "overwrite"})

    assert "This field is required." in words(response)
    assert 'value="overwrite" required id="id_existing_1" checked' in response.content.decode()


def test_anonymous_people_are_sent_to_sign_in(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_the_page_works_without_javascript_and_loads_the_progress_script(signed_in):
    response = signed_in.get(URL)

    html = response.content.decode()
    assert '<form method="post" enctype="multipart/form-data"' in html
    assert '<progress id="import-progress-bar"' in html
    assert "/static/js/import.js" in html
    assert "<script>" not in html


def test_a_csv_written_by_hand_needs_only_the_day_column(signed_in, user):
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["day", "physical_affection", "sleep_hours", "notes"])
    writer.writerow(["2026-11-20", "false", "7.5", "A, b; c"])
    writer.writerow(["2026-11-21", "", "", ""])

    upload(signed_in, "mine.csv", rows.getvalue())

    entries = DailyEntry.objects.for_user(user).order_by("day")
    assert [(e.physical_affection, e.sleep_hours, e.notes) for e in entries] == [
        (False, Decimal("7.50"), "A, b; c"),
        (None, None, ""),
    ]
