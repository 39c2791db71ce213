"""The SQL behind the trends: a person's days in one read, and the symptoms, barriers and
medications of a period."""

import datetime
from dataclasses import dataclass

import numpy as np
from django.db import connections, router

from tracker.measures import SUMMARISED
from tracker.models import (
    DailyEntry,
    EntryIntimacyBarrier,
    EntrySymptom,
    IntimacyBarrier,
    Medication,
    SexualActivity,
    Symptom,
)
from tracker.trends.periods import Period

# sexual_activity as a small number, so counting kinds is one bincount.
KIND_CODES = {
    None: 0,
    SexualActivity.NONE: 1,
    SexualActivity.SOLO: 2,
    SexualActivity.PARTNERED: 3,
    SexualActivity.BOTH: 4,
}


# A person's days, oldest first: each day as its distance from the first day read, then the
# measures, sexual activity, intensity and physical affection. Read through a plain cursor,
# because values_list would parse every date and pass every hour slept through a Python
# converter, row by row, on the longest ranges too. Hours slept are read as floats: numpy turns
# a column of Decimals into floats one object at a time, and quarter hours are exact either way.
def _as_float(column: str) -> str:
    return f"CAST({column} AS DOUBLE PRECISION)"


LOGGED_DAYS_SQL = f"""
    SELECT {{day_offset}},
        {", ".join(_as_float(name) if name == "sleep_hours" else name for name in SUMMARISED)},
        sexual_activity, intensity, physical_affection
    FROM {DailyEntry._meta.db_table}
    WHERE user_id = %(user)s AND day BETWEEN %(first)s AND %(last)s
    ORDER BY day
"""
# Days between two dates: PostgreSQL subtracts dates; SQLite (the zero-setup default) counts
# Julian days.
DAY_OFFSET_SQL = {
    "postgresql": "day - %(first)s",
    "sqlite": "CAST(julianday(day) - julianday(%(first)s) AS INTEGER)",
}


@dataclass(frozen=True)
class LoggedDays:
    """One person's logged days from `first` to a last day, read in one query: a numpy array per
    column, one position per logged day, oldest first. Every number on the page (daily and
    weekly series, summary, streaks, flare episodes) is shaped from this one read, so the
    query count and the rows read stay the same whatever the length of the range.

    Sums are of whole numbers and quarter hours, so they are exact in floating point, and each
    mean is one division: the same number as an exact computation, rounded once.
    """

    first: datetime.date
    offsets: np.ndarray  # days since `first`
    measures: dict[str, np.ndarray]  # NaN where not logged
    kinds: np.ndarray  # KIND_CODES
    affection: np.ndarray  # True only where physical affection was logged as yes
    raw: list[tuple]  # the rows as read (LOGGED_DAYS_SQL), for the daily intimacy markers

    @classmethod
    def fetch(cls, user, first: datetime.date, last: datetime.date) -> "LoggedDays":
        database = connections[router.db_for_read(DailyEntry)]
        with database.cursor() as cursor:
            sql = LOGGED_DAYS_SQL.format(day_offset=DAY_OFFSET_SQL[database.vendor])
            cursor.execute(sql, {"user": user.pk, "first": first, "last": last})
            rows = cursor.fetchall()
        columns = list(zip(*rows, strict=True)) if rows else [()] * (4 + len(SUMMARISED))
        return cls(
            first=first,
            offsets=np.array(columns[0], dtype=np.int64),
            measures={
                name: np.array(column, dtype=float)
                for name, column in zip(SUMMARISED, columns[1 : 1 + len(SUMMARISED)], strict=True)
            },
            kinds=np.array([KIND_CODES[kind] for kind in columns[-3]], dtype=np.int64),
            affection=np.array([touch is True for touch in columns[-1]], dtype=bool),
            raw=rows,
        )

    def positions(self, start: datetime.date, end: datetime.date) -> slice:
        """The positions of the days logged from start to end, both included."""
        low, high = np.searchsorted(
            self.offsets, [(start - self.first).days, (end - self.first).days + 1]
        )
        return slice(int(low), int(high))


# The five most frequent symptoms, every intimate symptom and every barrier, by the days they
# were ticked, all in one query: each link table's range of (user, day, item) index is counted
# by item id first, then the few counts are joined to their names (summed by name, as two items
# may share one), so PostgreSQL joins a few counts rather than every link. Written out as SQL
# because building this query through the ORM took longer than running it.
def _counted_by_name(link_table: str, item_column: str, item_table: str, also: str = "") -> str:
    return f"""
        SELECT item.name AS name, CAST(SUM(counted.days) AS INTEGER) AS days{also}
        FROM (
            SELECT {item_column} AS item_id, COUNT(*) AS days FROM {link_table}
            WHERE user_id = %(user)s AND day BETWEEN %(start)s AND %(end)s
            GROUP BY {item_column}
        ) AS counted
        JOIN {item_table} AS item ON item.id = counted.item_id
        GROUP BY item.name
    """


SYMPTOM_COUNTS_SQL = _counted_by_name(
    EntrySymptom._meta.db_table,
    "symptom_id",
    Symptom._meta.db_table,
    also=", MAX(CASE WHEN item.intimate THEN 1 ELSE 0 END) AS intimate",
)
BARRIER_COUNTS_SQL = _counted_by_name(
    EntryIntimacyBarrier._meta.db_table, "intimacybarrier_id", IntimacyBarrier._meta.db_table
)
# The symptoms are counted once (a CTE used twice is computed once) and split: the intimate
# ones go with the intimacy answers, which discreet mode hides, so "most frequent" never
# names one.
TAG_COUNTS_SQL = f"""
    WITH symptom_counts AS ({SYMPTOM_COUNTS_SQL})
    SELECT list, name, days FROM (
        SELECT 'top_symptoms' AS list, name, days FROM (
            SELECT name, days FROM symptom_counts WHERE intimate = 0
            ORDER BY days DESC, name
            LIMIT 5
        ) AS most_frequent
        UNION ALL
        SELECT 'intimate_symptoms', name, days FROM symptom_counts WHERE intimate = 1
        UNION ALL
        SELECT 'barriers', name, days FROM ({BARRIER_COUNTS_SQL}) AS barriers
    ) AS counts
    ORDER BY list, days DESC, name
"""


def tag_counts(user, period: Period) -> dict[str, list[dict]]:
    """The five most frequent symptoms that are not intimate, every intimate symptom and every
    barrier, most days first, then by name."""
    counts = {"top_symptoms": [], "intimate_symptoms": [], "barriers": []}
    with connections[router.db_for_read(EntrySymptom)].cursor() as cursor:
        cursor.execute(TAG_COUNTS_SQL, {"user": user.pk, "start": period.start, "end": period.end})
        for list_name, name, days in cursor.fetchall():
            counts[list_name].append({"name": name, "days": days})
    return counts


def medications(user, period: Period) -> list[dict]:
    """The medications taken at any time in the period, and whether each started or stopped
    within it."""
    taken = (
        Medication.objects.for_user(user)
        .overlapping(period.start, period.end)
        .order_by("started", "name")
        .values_list("name", "dose", "started", "stopped")
    )
    return [
        {
            "name": name,
            "dose": dose,
            "started": started.isoformat(),
            "stopped": stopped.isoformat() if stopped else None,
            "started_in_range": period.start <= started <= period.end,
            "stopped_in_range": stopped is not None and period.start <= stopped <= period.end,
        }
        for name, dose, started, stopped in taken
    ]
