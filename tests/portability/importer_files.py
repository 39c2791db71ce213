"""Files of other apps, written by the tests (never a real person's data): Apple Health exports
and Fitbit sleep logs, shaped as those apps write them."""

import csv
import io
import json
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st

from portability import applying, importers, importing
from tracker.models import DailyEntry, Medication

SLEEP = "HKCategoryTypeIdentifierSleepAnalysis"
SEX = "HKCategoryTypeIdentifierSexualActivity"
HEART_RATE = "HKQuantityTypeIdentifierHeartRate"
# The start of the internal DTD every Apple Health export.xml carries: element and attribute
# declarations, never an entity.
APPLE_DOCTYPE = """<!DOCTYPE HealthData [
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
]>
"""


def record(kind: str, start: str, end: str, value: str = "", source: str = "Watch") -> str:
    return (
        f'<Record type="{kind}" sourceName="{source}" unit="" value="{value}" '
        f'creationDate="{end}" startDate="{start}" endDate="{end}">\n'
        ' <MetadataEntry key="HKTimeZone" value="Europe/Berlin"/>\n'
        "</Record>"
    )


def asleep(start: str, end: str, phase: str = "AsleepCore", source: str = "Watch") -> str:
    return record(SLEEP, start, end, f"HKCategoryValueSleepAnalysis{phase}", source)


def export_xml(*records: str, doctype: str = APPLE_DOCTYPE) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        + doctype
        + '<HealthData locale="en_GB">\n'
        + ' <ExportDate value="2026-11-25 08:00:00 +0100"/>\n'
        + ' <Me HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexNotSet"/>\n'
        + "\n".join(records)
        + '\n <Workout workoutActivityType="HKWorkoutActivityTypeWalking" duration="30"/>\n'
        + "</HealthData>\n"
    ).encode()


def export_zip(xml: bytes, *, extras: bool = True, name: str = "export.xml") -> bytes:
    """Zipped as the Health app shares it, with the members Hearth never reads."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"apple_health_export/{name}", xml)
        if extras:
            archive.writestr("apple_health_export/export_cda.xml", "<ClinicalDocument/>")
            archive.writestr("apple_health_export/workout-routes/route_2026-11-01.gpx", "<gpx/>")
            archive.writestr("apple_health_export/electrocardiograms/ecg_2026-11-02.csv", "x")
    return buffer.getvalue()


def fitbit_sleep(*logs: dict) -> bytes:
    return json.dumps(list(logs), indent=2).encode()


def fitbit_log(log_id: int, day: str, minutes: int, main: bool = True) -> dict:
    return {
        "logId": log_id,
        "dateOfSleep": day,
        "startTime": f"{day}T00:10:00.000",
        "endTime": f"{day}T07:40:00.000",
        "duration": minutes * 60_000 + 1_800_000,
        "minutesToFallAsleep": 0,
        "minutesAsleep": minutes,
        "minutesAwake": 30,
        "timeInBed": minutes + 30,
        "efficiency": 93,
        "type": "stages",
        "infoCode": 0,
        "isMainSleep": main,
    }


DRIP_HEADER = (
    "date,temperature.value,temperature.exclude,temperature.time,temperature.note,"
    "bleeding.value,bleeding.exclude,mucus.feeling,mucus.texture,mucus.value,mucus.exclude,"
    "cervix.opening,cervix.firmness,cervix.position,cervix.exclude,note.value,desire.value,"
    "sex.solo,sex.partner,sex.condom,sex.pill,sex.iud,sex.patch,sex.ring,sex.implant,"
    "sex.diaphragm,sex.none,sex.other,sex.note,pain.cramps,pain.ovulationPain,pain.headache,"
    "pain.backache,pain.nausea,pain.tenderBreasts,pain.migraine,pain.other,pain.note,mood.happy,"
    "mood.sad,mood.stressed,mood.balanced,mood.fine,mood.anxious,mood.energetic,mood.fatigue,"
    "mood.angry,mood.other,mood.note"
)
DRIP_COLUMNS = DRIP_HEADER.split(",")


def drip_row(date: str, **cells: str) -> dict:
    """One day of drip's export; keyword names use _ for the dot (sex_solo is sex.solo)."""
    return {"date": date, **{name.replace("_", ".", 1): value for name, value in cells.items()}}


def drip_csv(*rows: dict) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, DRIP_COLUMNS, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


BEARABLE_COLUMNS = [
    "date",
    "date formatted",
    "weekday",
    "time of day",
    "category",
    "rating/amount",
    "detail",
    "notes",
]


def bearable_csv(*rows: tuple[str, str, str, str]) -> bytes:
    """Rows of (day, category, rating/amount, detail), as Bearable writes them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(BEARABLE_COLUMNS)
    for day, category, amount, detail in rows:
        writer.writerow([f"{day}T08:00:00", day, "Monday", "am", category, amount, detail, ""])
    return buffer.getvalue().encode()


FLAREDOWN_COLUMNS = [
    "user_id",
    "age",
    "sex",
    "country",
    "checkin_date",
    "trackable_id",
    "trackable_type",
    "trackable_name",
    "trackable_value",
]


def flaredown_csv(*rows: tuple[str, str, str, str], person: str = "QEVuQwEA") -> bytes:
    """Rows of (checkin_date, trackable_type, trackable_name, trackable_value) of one person,
    or (user_id, date, type, name, value) to mix people."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(FLAREDOWN_COLUMNS)
    for number, row in enumerate(rows, start=1):
        who, (day, kind, name, value) = (row[0], row[1:]) if len(row) == 5 else (person, row)
        writer.writerow([who, "34", "female", "GB", day, str(number), kind, name, value])
    return buffer.getvalue().encode()


def flaredown_wide_csv(columns: list[str], *rows: list[str]) -> bytes:
    """Flaredown's wide export: Date, the tracked columns, Tags, Foods."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["Date", *columns, "Tags", "Foods"])
    writer.writerows(rows)
    return buffer.getvalue().encode()


# What every importer's tests share ------------------------------------------------------------

URL = "/account/data/import/"
PREVIEW = "/account/data/import/preview/"
HYPOTHESIS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def mostly(good: list, bad: list) -> st.SearchStrategy:
    """Good values eight times as often as bad ones, so that files are imported as well as
    refused."""
    return st.sampled_from([*good * 8, *bad])


def upload(client, content: bytes, name: str = "file", **data):
    """Sends a file from the import page, as a person would, keeping the page's defaults."""
    return client.post(URL, {"file": SimpleUploadedFile(name, content), "existing": "skip", **data})


def import_whole_or_refuse_whole(user, source: str, content: bytes, choices: dict | None = None):
    """Reads, checks and writes a file as the preview's Import does, asserting that a file
    refused (as it is read, or by the check) left nothing behind; returns the plan written, or
    None if refused."""
    choices = choices or {}
    DailyEntry.objects.filter(user=user).delete()
    Medication.objects.filter(user=user).delete()
    try:
        extraction = importers.read(source, io.BytesIO(content), user)
        plan = importing.check_days(
            user, importers.rows(extraction, choices), importers.medications(extraction, choices)
        )
    except importers.Refused as refused:
        assert refused.where and refused.message
        plan = None
    event("refused" if plan is None else "found problems" if plan.errors else "imported")
    if plan is None or plan.errors:
        assert not DailyEntry.objects.filter(user=user).exists()
        assert not Medication.objects.filter(user=user).exists()
        return None
    applying.apply_import(user, plan, overwrite=False)
    assert DailyEntry.objects.filter(user=user).count() == len(plan.days)
    assert Medication.objects.filter(user=user).count() == len(plan.medications)
    return plan
