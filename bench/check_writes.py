"""Compare every acknowledged save in the locust journal with the database, and print the figures.

Usage: python bench/check_writes.py ACKS_DIR LOCUST_CSV_PREFIX [--outage]
(with DATABASE_URL and NOTES_ENCRYPTION_KEYS as the app ran with)

For each person and day, the row must hold the values of the last acknowledged save, or of a
save attempted after it whose answer was lost (a 503, or a connection cut by a killed worker: the
database may have kept it or not). No acknowledged save may be missing or different ("lost or
altered"), and no API answer may have echoed other values than were sent. Without --outage any
5xx or cut connection fails the check; with it, friendly 503s (with Retry-After) and cut
connections are expected, and only other 5xx fail. Exits 1 if the check fails.
"""

import csv
import glob
import json
import os
import sys
from collections import Counter, defaultdict
from decimal import Decimal

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from tracker.models import DailyEntry  # noqa: E402

FIELDS = ("stress", "fatigue", "flare_severity", "sleep_hours", "notes")


def stored(entry: DailyEntry) -> dict:
    values = {name: getattr(entry, name) for name in FIELDS}
    if isinstance(values["sleep_hours"], Decimal):
        values["sleep_hours"] = float(values["sleep_hours"])
    return values


def read_journal(acks_dir: str) -> dict[tuple[str, str], list[dict]]:
    saves = defaultdict(list)
    for path in glob.glob(os.path.join(acks_dir, "journal-*.jsonl")):
        with open(path) as journal:
            for line in journal:
                save = json.loads(line)
                saves[save["person"], save["day"]].append(save)
    for attempts in saves.values():
        attempts.sort(key=lambda save: save["sequence"])
    return saves


def compare(saves: dict[tuple[str, str], list[dict]]) -> Counter:
    rows = {
        (entry.user.email, str(entry.day)): stored(entry)
        for entry in DailyEntry.objects.filter(
            user__email__startswith="bench-load-"
        ).select_related("user")
    }
    outcome = Counter()
    for key, attempts in saves.items():
        row = rows.pop(key, None)
        acked = [number for number, save in enumerate(attempts) if save["acked"]]
        outcome["acknowledged saves"] += len(acked)
        outcome["unacknowledged attempts"] += len(attempts) - len(acked)
        outcome["echo differed from what was sent"] += sum(not s["echoed"] for s in attempts)
        later = [save["values"] for save in attempts[acked[-1] + 1 :]] if acked else []
        if not acked:
            if row is not None and row not in [save["values"] for save in attempts]:
                outcome["altered"] += 1
            continue
        if row is None:
            outcome["lost"] += 1
        elif row == attempts[acked[-1]]["values"]:
            outcome["days matching the last acknowledged save"] += 1
        elif row in later:
            outcome["days holding a later, unacknowledged attempt"] += 1
        else:
            outcome["altered"] += 1
    outcome["rows nobody saved"] = len(rows)
    return outcome


def print_stats(csv_prefix: str) -> None:
    with open(f"{csv_prefix}_stats.csv") as stats:
        rows = list(csv.DictReader(stats))
    columns = ("requests", "fails", "req/s", "p50", "p95", "p99")
    print(f"{'endpoint':<34} " + " ".join(f"{name:>8}" for name in columns))
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "ALL"
        label = f"{row['Type']} {name}" if row["Type"] else name
        cells = [row["Request Count"], row["Failure Count"], f"{float(row['Requests/s']):.1f}"]
        cells += [f"{row[percentile]}ms" for percentile in ("50%", "95%", "99%")]
        print(f"{label[:34]:<34} " + " ".join(f"{cell:>8}" for cell in cells))


def read_summaries(acks_dir: str) -> tuple[Counter, Counter]:
    statuses, checks = Counter(), Counter()
    for path in glob.glob(os.path.join(acks_dir, "summary-*.json")):
        with open(path) as file:
            summary = json.load(file)
        statuses.update(summary.pop("statuses"))
        checks.update(summary)
    return statuses, checks


def main(acks_dir: str, csv_prefix: str, outage: bool) -> int:
    print_stats(csv_prefix)
    statuses, checks = read_summaries(acks_dir)
    by_status = Counter()
    for name_and_status, count in statuses.items():
        by_status[int(name_and_status.rsplit(" ", 1)[1])] += count
    print("\nanswers by status: " + ", ".join(f"{s}: {n}" for s, n in sorted(by_status.items())))
    print(f"503 answers without the friendly page or Retry-After: {checks['unfriendly_503']}")
    if checks["own_write_checks"]:
        print(
            f"read own save back right after saving: {checks['own_write_checks']} checks, "
            f"{checks['own_write_misses']} missed"
        )
    outcome = compare(read_journal(acks_dir))
    print("\n" + "\n".join(f"{name}: {count}" for name, count in sorted(outcome.items())))

    server_errors = sum(count for status, count in by_status.items() if status >= 500)
    cut = by_status[0]
    if outage:
        server_errors -= by_status[503]
        cut = 0
    problems = {
        "lost or altered writes": outcome["lost"] + outcome["altered"],
        "answers that echoed other values": outcome["echo differed from what was sent"],
        "rows nobody saved": outcome["rows nobody saved"],
        "5xx answers" + (" other than 503" if outage else ""): server_errors,
        "connections cut": cut,
        "unfriendly 503s": checks["unfriendly_503"],
        "own saves missed": checks["own_write_misses"],
    }
    failed = {name: count for name, count in problems.items() if count}
    if not outcome["acknowledged saves"]:
        failed["acknowledged saves"] = 0
    print("\nRESULT: " + ("FAIL " + str(failed) if failed else "OK: nothing lost or altered"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], "--outage" in sys.argv[3:]))
