"""Importing Apple Health's export.zip or export.xml: asleep time merged across devices and
given to the local day the sleep ended, sexual activity asked about in the preview, and every
hostile file (entities, zip bombs, broken XML) refused whole with nothing saved."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portability import importers
from portability.importers import apple_health
from tests.factories import DailyEntryFactory
from tests.pages import words
from tests.portability.importer_files import (
    HEART_RATE,
    HYPOTHESIS,
    PREVIEW,
    SEX,
    URL,
    asleep,
    export_xml,
    export_zip,
    import_whole_or_refuse_whole,
    record,
    upload,
)
from tracker.models import DailyEntry

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def berliner(user):
    user.time_zone = "Europe/Berlin"
    user.save(update_fields=["time_zone"])
    return user


def extract(content: bytes, user) -> importers.Extraction:
    return importers.read("apple_health", io.BytesIO(content), user)


def sleep_of(content: bytes, user) -> dict[str, str]:
    return {day: r["sleep_hours"] for day, r in extract(content, user).days.items()}


def refusal(client, content: bytes, name: str = "export.zip") -> str:
    response = upload(client, content, name)
    assert response.status_code == 200
    return words(response)


def test_asleep_phases_become_the_hours_slept_of_the_day_the_night_ended(berliner):
    night = export_xml(
        record(
            "HKCategoryTypeIdentifierSleepAnalysis",
            "2026-11-09 22:30:00 +0100",
            "2026-11-10 07:00:00 +0100",
            "HKCategoryValueSleepAnalysisInBed",
            "Phone",
        ),
        asleep("2026-11-09 23:00:00 +0100", "2026-11-10 01:00:00 +0100", "AsleepCore"),
        asleep("2026-11-10 01:00:00 +0100", "2026-11-10 02:00:00 +0100", "AsleepDeep"),
        asleep("2026-11-10 02:00:00 +0100", "2026-11-10 02:30:00 +0100", "Awake"),
        asleep("2026-11-10 02:30:00 +0100", "2026-11-10 05:00:00 +0100", "AsleepREM"),
        asleep("2026-11-10 05:00:00 +0100", "2026-11-10 06:15:00 +0100", "AsleepUnspecified"),
    )

    assert sleep_of(night, berliner) == {"2026-11-10": "6.75"}


def test_a_night_recorded_by_phone_and_watch_counts_once(berliner):
    night = export_xml(
        asleep("2026-11-09 23:00:00 +0100", "2026-11-10 06:00:00 +0100", "Asleep", "Phone"),
        asleep("2026-11-09 23:30:00 +0100", "2026-11-10 03:00:00 +0100", "AsleepCore", "Watch"),
        asleep("2026-11-10 03:00:00 +0100", "2026-11-10 06:30:00 +0100", "AsleepREM", "Watch"),
    )

    assert sleep_of(night, berliner) == {"2026-11-10": "7.50"}


def test_a_wake_up_around_midnight_keeps_the_night_on_the_morning_it_ended(berliner):
    night = export_xml(
        asleep("2026-11-09 22:00:00 +0100", "2026-11-09 23:45:00 +0100"),
        asleep("2026-11-10 00:30:00 +0100", "2026-11-10 06:00:00 +0100"),
        # An afternoon nap is a sleep of its own, on its own day.
        asleep("2026-11-11 14:00:00 +0100", "2026-11-11 15:00:00 +0100"),
    )

    assert sleep_of(night, berliner) == {"2026-11-10": "7.25", "2026-11-11": "1.00"}


def test_days_are_the_persons_local_days_whatever_offset_the_record_carries(berliner):
    # 23:30 in London is 00:30 the next day in Berlin.
    night = export_xml(asleep("2026-11-09 16:30:00 +0000", "2026-11-09 23:30:00 +0000"))

    assert sleep_of(night, berliner) == {"2026-11-10": "7.00"}
    berliner.time_zone = "Europe/London"
    assert sleep_of(night, berliner) == {"2026-11-09": "7.00"}


def test_the_night_the_clocks_go_back_counts_the_hour_it_gained(berliner):
    # Berlin left summer time at 03:00 on 25 October 2026: 23:00 to 07:00 by the clock is 9 hours.
    night = export_xml(asleep("2026-10-24 23:00:00 +0200", "2026-10-25 07:00:00 +0100"))

    assert sleep_of(night, berliner) == {"2026-10-25": "9.00"}


def test_sexual_activity_is_given_to_the_persons_local_day(berliner):
    late = export_xml(record(SEX, "2026-11-09 23:30:00 +0000", "2026-11-09 23:45:00 +0000"))

    assert {day: r.get("sexual_activity") for day, r in extract(late, berliner).days.items()} == {
        "2026-11-10": True
    }


@pytest.mark.parametrize(
    ("end", "hours"),
    [("07:07", "7.00"), ("07:08", "7.25"), ("07:07:30", "7.25"), ("07:52", "7.75")],
)
def test_hours_slept_round_to_the_nearest_quarter_hour(berliner, end, hours):
    end = end if end.count(":") == 2 else f"{end}:00"
    night = export_xml(asleep("2026-11-10 00:00:00 +0100", f"2026-11-10 {end} +0100"))

    assert sleep_of(night, berliner) == {"2026-11-10": hours}


def test_the_preview_shows_range_mapping_samples_and_what_is_left_out(signed_in, berliner):
    DailyEntryFactory(user=berliner, day=datetime.date(2026, 11, 10), sleep_hours=Decimal(5))
    content = export_zip(
        export_xml(
            asleep("2026-11-09 23:00:00 +0100", "2026-11-10 06:00:00 +0100"),
            asleep("2026-11-10 23:00:00 +0100", "2026-11-11 07:00:00 +0100"),
            record(SEX, "2026-11-11 21:00:00 +0100", "2026-11-11 21:30:00 +0100"),
            record(HEART_RATE, "2026-11-10 09:00:00 +0100", "2026-11-10 09:00:00 +0100", "61"),
        )
    )

    response = upload(signed_in, content)
    assert response.status_code == 302 and response["Location"] == PREVIEW, words(response)
    response = signed_in.get(PREVIEW)
    text = words(response)

    assert "2 days, from 10 November 2026 to 11 November 2026" in text
    assert "1 new day created, 0 days you logged changed, 1 day you logged left as they are" in text
    assert (
        '<th scope="row">Sleep analysis: asleep (Asleep, Core, Deep, REM, Unspecified)</th>'
        '<td data-label="How many">2</td><td data-label="Becomes">Hours slept: the time asleep '
        "in each sleep, counted once where phone and "
        "watch overlap, given to the day the sleep ended (Europe/Berlin), to the nearest quarter "
        "hour</td>" in response.content.decode()
    )
    assert "Wed 11 Nov 2026Sexual activity: With a partner; Hours slept: 8.00 hours" in text
    assert "Other files in the zip (export_cda.xml, workout routes, electrocardiograms) (3)" in text
    assert "HeartRate (1): Hearth has no field for it." in text
    assert "Workouts, activity summaries and other entries (1)" in text
    assert not DailyEntry.objects.filter(day=datetime.date(2026, 11, 11)).exists()


def test_importing_saves_sexual_activity_with_a_partner_unless_solo_is_chosen(signed_in, user):
    content = export_xml(record(SEX, "2026-11-11 21:00:00 +0000", "2026-11-11 21:30:00 +0000"))
    upload(signed_in, content, "export.xml")

    response = signed_in.post(
        PREVIEW, {"existing": "skip", "sexual_activity": "solo", "import": ""}, follow=True
    )

    assert "Imported 1 new day." in words(response)
    entry = DailyEntry.objects.get(user=user)
    assert (entry.day, entry.sexual_activity, entry.sleep_hours) == (
        datetime.date(2026, 11, 11),
        "solo",
        None,
    )
    assert signed_in.get(PREVIEW).status_code == 302  # the stash is gone once imported


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        ("skip", (Decimal(5), None, 3)),
        ("fill", (Decimal(5), "partnered", 3)),
        ("overwrite", (Decimal(7), "partnered", 3)),
    ],
)
def test_a_logged_day_is_kept_filled_or_replaced_and_keeps_what_the_file_lacks(
    signed_in, user, existing, expected
):
    DailyEntryFactory(
        user=user,
        day=datetime.date(2026, 11, 10),
        sleep_hours=Decimal(5),
        stress=3,
        sexual_activity=None,
    )
    upload(
        signed_in,
        export_xml(
            asleep("2026-11-09 23:00:00 +0000", "2026-11-10 06:00:00 +0000"),
            record(SEX, "2026-11-10 21:00:00 +0000", "2026-11-10 21:30:00 +0000"),
        ),
        "export.xml",
    )

    signed_in.post(PREVIEW, {"existing": existing, "sexual_activity": "partnered", "import": ""})

    entry = DailyEntry.objects.get(user=user)
    assert (entry.sleep_hours, entry.sexual_activity, entry.stress) == expected


def test_the_preview_belongs_to_the_session_that_uploaded_it(client, signed_in, user, other_user):
    upload(signed_in, export_xml(asleep("2026-11-09 23:00:00 +0000", "2026-11-10 06:00:00 +0000")))
    client.force_login(other_user)

    response = client.post(PREVIEW, {"existing": "skip", "import": ""})

    assert response.status_code == 302 and response["Location"] == URL
    assert not DailyEntry.objects.exists()


def test_the_waiting_extraction_is_encrypted_in_the_session(signed_in, user):
    upload(signed_in, export_xml(asleep("2026-11-09 23:00:00 +0000", "2026-11-10 06:00:00 +0000")))

    token = signed_in.session[importers.STASH_KEY]
    assert "2026-11-10" not in token and "sleep" not in token
    assert importers.stashed(signed_in.session, user).days["2026-11-10"]["sleep_hours"] == "7.00"


def test_a_preview_left_for_more_than_an_hour_is_forgotten(signed_in, freeze_time):
    upload(signed_in, export_xml(asleep("2026-11-09 23:00:00 +0000", "2026-11-10 06:00:00 +0000")))
    freeze_time("2026-11-25T13:01:00+00:00")  # NOW is 12:00

    response = signed_in.post(PREVIEW, {"existing": "skip", "import": ""}, follow=True)

    assert "There is no file waiting to be imported. Please choose it again." in words(response)
    assert importers.STASH_KEY not in signed_in.session
    assert not DailyEntry.objects.exists()


def test_cancelling_forgets_the_file(signed_in):
    upload(signed_in, export_xml(asleep("2026-11-09 23:00:00 +0000", "2026-11-10 06:00:00 +0000")))

    response = signed_in.post(PREVIEW, {"cancel": ""}, follow=True)

    assert "Nothing was imported, and the file's contents are gone." in words(response)
    assert importers.STASH_KEY not in signed_in.session


def test_a_night_out_of_range_is_named_and_nothing_is_imported(signed_in, user):
    upload(
        signed_in,
        export_xml(asleep("2026-11-08 20:00:00 +0000", "2026-11-10 06:00:00 +0000")),
        "export.xml",
    )

    response = signed_in.post(PREVIEW, {"existing": "skip", "import": ""})

    text = words(response)
    assert "Nothing can be imported: 1 place in the file can't be saved" in text
    assert "2026-11-10 (Sleep records from line" in text
    assert not DailyEntry.objects.exists()


def test_a_zip_bomb_is_refused_by_its_declared_size_before_any_of_it_is_read(
    signed_in, monkeypatch
):
    monkeypatch.setattr(apple_health, "XML_MAX_BYTES", 10 * 1024 * 1024)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("apple_health_export/export.xml", b"\0" * (20 * 1024 * 1024))
    assert len(buffer.getvalue()) < 100_000

    def never(*args, **kwargs):
        raise AssertionError("The member was opened.")

    monkeypatch.setattr(zipfile.ZipFile, "open", never)

    text = refusal(signed_in, buffer.getvalue())

    assert (
        "Its export.xml would unpack to 20.0 MB; Hearth reads up to 10.0 MB, so nothing was "
        "unpacked." in text
    )
    assert not DailyEntry.objects.exists()


def test_a_zip_without_export_xml_is_refused(signed_in):
    text = refusal(signed_in, export_zip(export_xml(), name="other.xml"))

    assert "This zip has no export.xml" in text


def test_a_billion_laughs_is_refused_without_expanding_it(signed_in):
    laughs = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    doctype = f'<!DOCTYPE HealthData [<!ENTITY lol0 "lol">{laughs}]>\n'
    content = export_xml(record(HEART_RATE, "&lol9;", "&lol9;"), doctype=doctype)

    text = refusal(signed_in, content, "export.xml")

    assert "The file declares an entity (“lol0”)" in text
    assert not DailyEntry.objects.exists()


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE HealthData [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n',
        '<!DOCTYPE HealthData [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/x.dtd">%remote;]>\n',
        '<!DOCTYPE HealthData SYSTEM "http://127.0.0.1:9/health.dtd">\n',
    ],
)
def test_an_external_entity_is_refused_and_never_fetched(signed_in, doctype):
    content = export_xml(asleep("&secret;", "2026-11-10 06:00:00 +0000"), doctype=doctype)

    text = refusal(signed_in, content, "export.xml")

    assert "Nothing was imported" in text
    assert "root:" not in text
    assert not DailyEntry.objects.exists()


def test_an_unreadable_date_names_its_record_line(signed_in):
    content = export_xml(
        asleep("2026-11-09 23:00:00 +0000", "2026-11-10 06:00:00 +0000"),
        asleep("yesterday night", "2026-11-11 06:00:00 +0000"),
    )

    text = refusal(signed_in, content, "export.xml")

    assert "Record on line 23" in text
    assert "Its startDate “yesterday night” is not a date and time" in text
    assert not DailyEntry.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            export_xml(asleep("2026-11-09 23:00:00 +0000", "2026-11-10 06:00:00 +0000"))[:-40],
            "Line 23",
        ),
        (export_xml().replace(b"en_GB", b"en_\xff\xfeGB"), "Line 17"),
        (b'<?xml version="1.0"?>\n<HealthData><Record type="x"></HealthData>', "Line 2"),
    ],
    ids=["cut-short", "not-utf-8", "mismatched-tags"],
)
def test_xml_that_cant_be_read_is_refused_naming_the_line(signed_in, content, message):
    text = refusal(signed_in, content, "export.xml")

    assert message in text and "can't be read as XML" in text


def test_a_source_chosen_by_hand_overrides_what_the_file_looks_like(signed_in):
    response = upload(
        signed_in, b"day,stress\r\n2026-11-10,4\r\n", "days.csv", source="apple_health"
    )

    assert "This XML is not an Apple Health export." in words(
        response
    ) or "can't be read as XML" in words(response)
    assert not DailyEntry.objects.exists()


def test_more_days_than_allowed_are_refused(signed_in, settings):
    settings.IMPORT_MAX_DAYS = 1
    content = export_xml(
        asleep("2026-11-09 23:00:00 +0000", "2026-11-10 06:00:00 +0000"),
        asleep("2026-11-10 23:00:00 +0000", "2026-11-11 06:00:00 +0000"),
    )

    text = refusal(signed_in, content, "export.xml")

    assert "It has 2 days, and Hearth imports up to 1 from one file." in text


STAMPS = [
    f"2026-11-{day:02} {hour:02}:{minute:02}:00 +0000"
    for day in range(1, 12)
    for hour in range(0, 24, 3)
    for minute in (0, 40)
]


@HYPOTHESIS
@given(
    sleeps=st.lists(
        st.tuples(
            st.sampled_from([*STAMPS, "garbage", "2026-13-01 00:00:00 +0000"]),
            st.sampled_from(STAMPS),
            st.sampled_from(["AsleepCore", "AsleepREM", "Awake", "InBed", "Odd"]),
        ),
        max_size=12,
    ),
    sex=st.lists(st.sampled_from(STAMPS), max_size=3),
)
def test_any_export_is_imported_whole_or_refused_whole(user, sleeps, sex):
    content = export_xml(
        *(asleep(start, end, phase) for start, end, phase in sleeps),
        *(record(SEX, stamp, stamp) for stamp in sex),
    )

    plan = import_whole_or_refuse_whole(user, "apple_health", content)

    if plan:
        saved = {e.day: e.sleep_hours for e in DailyEntry.objects.filter(user=user)}
        assert saved == {row.day: row.values.get("sleep_hours") for row in plan.days}
