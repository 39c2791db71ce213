"""Generate an Apple Health export.zip of about SIZE MB and read it as the import does, printing
how long it took, records per second and the process's peak memory (RSS).

Usage: python bench/import_apple.py [SIZE_MB]   (default 200; no database is used)

The export is written to a temporary folder (deleted afterwards) a record at a time: heart rate,
steps and energy every few minutes with varying values (so it compresses roughly as a real one
does), a night of sleep phases from two devices, and sexual activity now and then. Reading it is
portability.importers.apple_health.read, the function the import page calls; the peak RSS covers
generating too, so it is an upper bound for the read.
"""

import datetime
import io
import os
import random
import resource
import sys
import tempfile
import time
import zipfile
import zoneinfo

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from portability.importers import apple_health  # noqa: E402

ZONE = zoneinfo.ZoneInfo("Europe/Berlin")
HEAD = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>
<!ATTLIST HealthData locale CDATA #REQUIRED>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record type CDATA #REQUIRED value CDATA #IMPLIED startDate CDATA #REQUIRED>
]>
<HealthData locale="en_GB">
 <ExportDate value="2026-11-25 08:00:00 +0100"/>
 <Me HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexNotSet"/>
"""
QUANTITIES = [
    ("HKQuantityTypeIdentifierHeartRate", "count/min", 50, 120),
    ("HKQuantityTypeIdentifierStepCount", "count", 0, 900),
    ("HKQuantityTypeIdentifierActiveEnergyBurned", "kcal", 0, 40),
]
PHASES = ["AsleepCore", "AsleepDeep", "AsleepREM", "Awake", "AsleepCore", "AsleepREM"]


def stamp(moment: datetime.datetime) -> str:
    """Apple's form, with the local offset; `moment` is in UTC, so arithmetic on it is exact."""
    return moment.astimezone(ZONE).strftime("%Y-%m-%d %H:%M:%S %z")


def record(kind: str, unit: str, value, start, end, rng, source: str = "Watch") -> str:
    return (
        f' <Record type="{kind}" sourceName="{source}" sourceVersion="11.1" unit="{unit}" '
        f'creationDate="{stamp(end)}" startDate="{stamp(start)}" endDate="{stamp(end)}" '
        f'value="{value}">\n  <MetadataEntry key="HKMetadataKeySyncIdentifier" '
        f'value="{rng.getrandbits(64):016X}"/>\n </Record>\n'
    )


def day_of_records(day: datetime.date, rng: random.Random) -> str:
    parts = []
    bed = datetime.datetime.combine(day, datetime.time(22), datetime.UTC) + datetime.timedelta(
        minutes=rng.randint(-60, 60)
    )
    for source in ("Watch", "Phone"):
        moment = bed
        for phase in PHASES * 3:
            end = moment + datetime.timedelta(minutes=rng.randint(10, 40))
            value = f"HKCategoryValueSleepAnalysis{phase}"
            parts.append(record(apple_health.SLEEP, "", value, moment, end, rng, source))
            moment = end
    if rng.random() < 0.1:
        evening = bed - datetime.timedelta(hours=2)
        parts.append(record(apple_health.SEXUAL_ACTIVITY, "", 0, evening, evening, rng))
    moment = datetime.datetime.combine(day, datetime.time(0), datetime.UTC)
    while moment.date() == day:
        for kind, unit, low, high in QUANTITIES:
            end = moment + datetime.timedelta(minutes=1)
            parts.append(record(kind, unit, rng.randint(low, high), moment, end, rng))
        moment += datetime.timedelta(minutes=rng.randint(2, 6))
    return "".join(parts)


def generate(path: str, megabytes: int) -> tuple[int, int]:
    """Writes days of records until the zip reaches the size; returns (days, XML bytes)."""
    rng = random.Random(21)
    day = datetime.date(2010, 1, 1)
    days = xml_bytes = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("apple_health_export/export_cda.xml", "<ClinicalDocument/>")
        with archive.open("apple_health_export/export.xml", "w", force_zip64=True) as xml:
            xml.write(HEAD)
            while os.path.getsize(path) < megabytes * 1024 * 1024:
                chunk = io.StringIO()
                for _ in range(30):
                    chunk.write(day_of_records(day, rng))
                    day += datetime.timedelta(days=1)
                    days += 1
                data = chunk.getvalue().encode()
                xml.write(data)
                xml_bytes += len(data)
            xml.write(b"</HealthData>\n")
    return days, xml_bytes


class Counting(apple_health._Reader):
    """The importer's reader, counting every Record it is handed."""

    records = 0

    def _start(self, name, attrs):
        if name == "Record":
            Counting.records += 1
        super()._start(name, attrs)


def main(megabytes: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "export.zip")
        started = time.perf_counter()
        days, xml_bytes = generate(path, megabytes)
        print(
            f"generated {os.path.getsize(path) / 1024**2:.0f} MB zip ({xml_bytes / 1024**2:.0f} MB "
            f"XML, {days} days) in {time.perf_counter() - started:.0f} s"
        )
        apple_health._Reader = Counting
        started = time.perf_counter()
        with open(path, "rb") as file:
            extraction = apple_health.read(file, ZONE)
        seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"read {Counting.records:,} records in {seconds:.1f} s: {Counting.records / seconds:,.0f} "
        f"records/s, {xml_bytes / 1024**2 / seconds:.1f} MB of XML/s"
    )
    print(f"days found: {len(extraction.days):,}; peak RSS of the whole run: {peak:.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
