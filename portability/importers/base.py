"""What every importer of another app's file shares: what it found (an Extraction the preview
shows and the import maps onto Hearth's fields) and how it says no (Refused).

An importer reads the whole file once, as a stream, into readings per local day: a few numbers
a day, whatever the file's size. The file itself is not kept: the preview and the import work
from the extraction, which waits encrypted in the person's session (portability/importers/
__init__.py)."""

import csv
import datetime
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import BinaryIO

from django.conf import settings

QUARTER = Decimal("0.25")


class Refused(Exception):
    """The whole file is refused, and why: where in the file, and what is wrong there."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message

    @property
    def problems(self) -> list[tuple[str, list[str]]]:
        """As the import page lists a Hearth file's problems."""
        return [(self.where, [self.message])]


@dataclass
class Mapping:
    """One line of the preview's table: what the file has, how much, and what it becomes."""

    found: str
    count: int
    becomes: str


@dataclass
class Ignored:
    what: str
    count: int
    why: str


@dataclass
class Extraction:
    source: str  # a key of portability.importers.SOURCES
    # ISO day -> what the file says of that day, in the source's own terms, plus "where": the
    # first place in the file that speaks of the day, for messages.
    days: dict[str, dict] = field(default_factory=dict)
    mappings: list[Mapping] = field(default_factory=list)
    ignored: list[Ignored] = field(default_factory=list)
    extra: dict = field(default_factory=dict)  # what else a source keeps (Flaredown: people)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> "Extraction":
        data = json.loads(text)
        return cls(
            source=data["source"],
            days=data["days"],
            mappings=[Mapping(**row) for row in data["mappings"]],
            ignored=[Ignored(**row) for row in data["ignored"]],
            extra=data["extra"],
        )


def quarter_hours(hours: float | Decimal) -> Decimal:
    """Hours to the nearest quarter hour, as Hearth stores hours slept (a half rounds up)."""
    return (Decimal(str(hours)) / QUARTER).quantize(Decimal(1), ROUND_HALF_UP) * QUARTER


def refuse_too_many_days(days: int) -> None:
    if days > settings.IMPORT_MAX_DAYS:
        raise Refused(
            "The file",
            f"It has {days:,} days, and Hearth imports up to {settings.IMPORT_MAX_DAYS:,} from "
            "one file. Export a shorter period and try again.",
        )


def csv_header(head: bytes) -> list[str]:
    """The column names on a file's first line, for telling its source (never raises)."""
    first = head.decode("utf-8-sig", errors="replace").splitlines()[:1]
    return [name.strip().casefold() for name in next(csv.reader(first), [])] if first else []


def csv_rows(file: BinaryIO) -> Iterator[tuple[int, dict[str, str]]]:
    """A CSV file as a stream of (line, {column: cell}), columns named in lower case; raises
    Refused, naming the line, for text that isn't UTF-8, broken quoting or a row whose length
    differs from the header's."""
    file.seek(0)
    physical = [0]  # the line being decoded, for the message if it isn't UTF-8
    reader = csv.reader(_decoded(file, physical))
    line = 1
    try:
        header = [name.strip().casefold() for name in next(reader, [])]
        while True:
            line = reader.line_num + 1
            row = next(reader, None)
            if row is None:
                return
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise Refused(
                    f"Line {line}",
                    f"This line has {len(row)} values, but the first line names {len(header)} "
                    "columns.",
                )
            yield line, dict(zip(header, (cell.strip() for cell in row), strict=True))
    except UnicodeDecodeError:
        raise Refused(
            f"Line {physical[0]}",
            "This is not UTF-8 text. Export the file again, or save it as UTF-8.",
        ) from None
    except csv.Error as error:
        raise Refused(f"Line {line}", f"This line can't be read as CSV ({error}).") from None


def _decoded(file: BinaryIO, physical: list[int]) -> Iterator[str]:
    for number, raw in enumerate(file, start=1):
        physical[0] = number
        yield raw.decode("utf-8-sig" if number == 1 else "utf-8")


def iso_day(value: str, where: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        raise Refused(where, f"“{value[:40]}” is not a date such as 2024-01-31.") from None
