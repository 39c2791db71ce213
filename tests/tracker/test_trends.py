"""The trends page, /trends/: ranges, the numbers it shows, its cache, its calendar and privacy."""

import datetime
import html
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import TODAY
from tests.factories import DailyEntryFactory, MedicationFactory, UserFactory
from tests.pages import ACTIVITY_MARK, page, trend_data, words
from tracker.models import DailyEntry, IntimacyBarrier, Medication, Symptom
from tracker.trends import periods, series

ONE_DAY = datetime.timedelta(days=1)
CLINICIAN_NOTICE = "consult your clinician"
DASH = "\u2013"  # what the tables show for a day or measure that was not logged


pytestmark = pytest.mark.usefixtures("clock")


def chart_table_page(response, name: str) -> str:
    """The page the chart's "show as table" link leads to."""
    link = re.search(rf'href="(/trends/table/{name}/[^"]*)"', page(response))[1]
    table_page = response.client.get(html.unescape(link))
    assert table_page.status_code == 200
    return table_page.content.decode()


def chart_table(response, name: str) -> dict[str, list[str]]:
    """The "show as table" rows of one chart: the day (or week) -> its cells, as shown."""
    table = chart_table_page(response, name)
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S):
        heading = re.search(r'<th scope="row"[^>]*>(?:<a href="/log/([\d-]+)/">)?([^<]*)', row)
        if heading:
            rows[heading[1] or heading[2]] = re.findall(r"<td[^>]*>(.*?)</td>", row)
    return rows


def summary_table(response) -> dict[str, list[str]]:
    """The summary table: measure label -> average, previous, change, days, as shown."""
    section = re.search(
        r'<section aria-labelledby="summary-heading".*?</table>', page(response), re.S
    )
    return {
        label: re.findall(r"<td[^>]*>(.*?)</td>", cells)
        for label, cells in re.findall(
            r'<th scope="row">([^<]*)</th>(.*?)</tr>', section[0], flags=re.S
        )
    }


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def days(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    return [first + n * ONE_DAY for n in range((last - first).days + 1)]


def plant_pattern(user, first: datetime.date, last: datetime.date) -> dict[datetime.date, int]:
    """Stress on a fixed pattern of days with gaps (some weeks too thin for a 7-day average).

    Returns day -> stress for the days logged."""
    stress = {}
    for number, day in enumerate(days(first, last)):
        # Logged on three days in five, and never in the third week of each month.
        if number % 5 in (1, 3) or 15 <= day.day <= 21:
            continue
        stress[day] = (number * 7) % 11
    DailyEntry.objects.bulk_create(
        DailyEntry(user=user, day=day, stress=value, fatigue=None, sleep_hours=Decimal(value) / 2)
        for day, value in stress.items()
    )
    return stress


def mean(values) -> Fraction | None:
    values = list(values)
    return Fraction(sum(values), len(values)) if values else None


def two_places(value) -> float | None:
    return None if value is None else round(float(value), 2)


def direct_rolling(stress: dict, day: datetime.date) -> float | None:
    window = [stress[day - n * ONE_DAY] for n in range(7) if day - n * ONE_DAY in stress]
    return two_places(mean(window)) if len(window) >= 4 else None


def shown(number) -> str:
    return DASH if number is None else str(number)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/trends/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("query", "start", "end"),
    [
        ("?range=30d", "2026-10-27", "2026-11-25"),
        ("?range=90d", "2026-08-28", "2026-11-25"),
        ("", "2026-08-28", "2026-11-25"),
        ("?range=1y", "2025-11-26", "2026-11-25"),
        ("?range=all", "2024-03-01", "2026-11-25"),
        ("?start=2026-01-01&end=2026-02-15", "2026-01-01", "2026-02-15"),
    ],
)
def test_each_range_is_shown_with_the_clinician_notice(signed_in, user, query, start, end):
    DailyEntryFactory(user=user, day=datetime.date(2024, 3, 1))
    DailyEntryFactory(user=user, day=TODAY - 3 * ONE_DAY)

    response = signed_in.get(f"/trends/{query}")

    assert response.status_code == 200
    assert CLINICIAN_NOTICE in page(response)
    data = trend_data(response)
    assert (data["start"], data["end"]) == (start, end)
    assert shown_messages(response) == []


def test_the_chart_data_and_tables_match_a_direct_computation(signed_in, user):
    stress = plant_pattern(user, TODAY - 70 * ONE_DAY, TODAY)
    start = TODAY - 29 * ONE_DAY

    response = signed_in.get("/trends/?range=30d")

    period_days = days(start, TODAY)
    data = trend_data(response)
    values = [two_places(stress.get(day)) for day in period_days]
    rolling = [direct_rolling(stress, day) for day in period_days]
    assert data["series"]["days"] == [day.isoformat() for day in period_days]
    assert data["series"]["measures"]["stress"]["values"] == values
    assert data["series"]["measures"]["stress"]["rolling"] == rolling
    assert None in rolling and None in values  # gaps and thin windows are both exercised
    assert chart_table(response, "stress") == {
        day.isoformat(): [shown(value), shown(average)]
        for day, value, average in zip(period_days, values, rolling, strict=True)
        if value is not None or average is not None
    }
    # Fatigue was never logged: the table says so rather than showing zeros.
    assert chart_table(response, "fatigue") == {}
    assert "Nothing logged in this period." in chart_table_page(response, "fatigue")


def test_the_summary_matches_a_direct_computation(signed_in, user):
    stress = plant_pattern(user, TODAY - 70 * ONE_DAY, TODAY)
    start = TODAY - 29 * ONE_DAY
    now = [value for day, value in stress.items() if day >= start]
    before = [value for day, value in stress.items() if start - 30 * ONE_DAY <= day < start]

    response = signed_in.get("/trends/?range=30d")

    change = two_places(mean(now) - mean(before))
    expected = [
        shown(two_places(mean(now))),
        shown(two_places(mean(before))),
        f"+{change}" if change > 0 else str(change),
        str(len(now)),
    ]
    assert summary_table(response)["Stress"] == expected
    assert summary_table(response)["Fatigue"] == [DASH, DASH, DASH, "0"]
    stress_summary = next(
        m for m in trend_data(response)["summary"]["measures"] if m["name"] == "stress"
    )
    assert stress_summary["mean"] == two_places(mean(now))
    assert f"{len(now)} of 30 days logged ({round(100 * len(now) / 30)}%)" in page(response)
    direction = "up" if change > 0 else "down"
    assert (
        f"Stress averaged {two_places(mean(now)):g} out of 10 over {len(now)} logged days, "
        f"{direction} {abs(change):g} from {two_places(mean(before)):g} in the previous period."
    ) in page(response)


def test_a_range_longer_than_a_year_is_shown_by_iso_week(signed_in, user):
    DailyEntryFactory(user=user, day=datetime.date(2025, 3, 1), stress=2)  # a Saturday
    DailyEntryFactory(user=user, day=datetime.date(2025, 3, 2), stress=4)  # a Sunday
    DailyEntryFactory(user=user, day=datetime.date(2025, 3, 3), stress=9)  # a Monday

    response = signed_in.get("/trends/?start=2025-01-01&end=2026-06-30")

    data = trend_data(response)
    assert data["granularity"] == "week"
    weeks = data["series"]["days"]
    stress = data["series"]["measures"]["stress"]
    week_of_sunday = weeks.index("2025-02-24")
    assert (stress["mean"][week_of_sunday], stress["min"][week_of_sunday]) == (3.0, 2.0)
    assert stress["max"][week_of_sunday] == 4.0
    assert stress["mean"][weeks.index("2025-03-03")] == 9.0
    assert chart_table(response, "stress") == {
        "24 Feb 2025": ["3.0", "2.0", "4.0"],
        "3 Mar 2025": ["9.0", "9.0", "9.0"],
    }
    assert "shown by week" in page(response)


def test_all_time_over_months_counts_intimacy_by_week_while_the_measures_stay_daily(
    signed_in, user
):
    # 200 days of all time: daily marks would run into one another on a phone's chart.
    DailyEntryFactory(user=user, day=TODAY - 199 * ONE_DAY)
    DailyEntryFactory(user=user, day=datetime.date(2026, 11, 16), sexual_activity="solo")  # Mon
    DailyEntryFactory(user=user, day=datetime.date(2026, 11, 18), sexual_activity="both")
    DailyEntryFactory(user=user, day=datetime.date(2026, 11, 22), physical_affection=True)  # Sun
    DailyEntryFactory(user=user, day=datetime.date(2026, 11, 23), sexual_activity="partnered")

    response = signed_in.get("/trends/?range=all")

    series = trend_data(response)["series"]
    assert series["granularity"] == "day"
    assert len(series["days"]) == 200
    intimacy = series["intimacy"]
    assert intimacy["granularity"] == "week"
    mondays = [datetime.date.fromisoformat(day) for day in intimacy["days"]]
    assert all(monday.weekday() == 0 for monday in mondays)
    assert mondays[0] <= TODAY - 199 * ONE_DAY < mondays[0] + 7 * ONE_DAY
    assert mondays[-1] == datetime.date(2026, 11, 23)
    weekly = {key: intimacy[key][-2:] for key in ("solo", "partnered", "affection")}
    assert weekly == {"solo": [2, 0], "partnered": [1, 1], "affection": [1, 0]}
    assert sum(intimacy["solo"]) == 2
    assert "One bar per week" in page(response)


def test_ninety_days_keep_a_mark_for_each_day_of_intimacy(signed_in, user):
    DailyEntryFactory(user=user, day=TODAY, sexual_activity="solo", intensity="gentle")

    intimacy = trend_data(signed_in.get("/trends/?range=90d"))["series"]["intimacy"]

    assert intimacy["granularity"] == "day"
    assert len(intimacy["activity"]) == 90
    assert (intimacy["activity"][-1], intimacy["intensity"][-1]) == ("solo", "gentle")


def test_a_range_across_the_clocks_changing_lists_each_day_once(signed_in, user):
    # The clocks went forward in London at 01:00 on Sunday 29 March 2026.
    period_days = days(datetime.date(2026, 3, 22), datetime.date(2026, 4, 5))
    for number, day in enumerate(period_days):
        DailyEntryFactory(user=user, day=day, stress=number % 11)

    response = signed_in.get("/trends/?start=2026-03-22&end=2026-04-05")

    data = trend_data(response)
    assert data["series"]["days"] == [day.isoformat() for day in period_days]
    assert data["series"]["measures"]["stress"]["values"] == [float(n % 11) for n in range(15)]
    assert list(chart_table(response, "stress")) == [day.isoformat() for day in period_days]
    assert data["summary"]["days_logged"] == 15
    assert data["summary"]["coverage_percent"] == 100


def test_a_person_in_auckland_sees_the_range_end_on_their_own_today(db, client, freeze_time):
    # 11:30 in London on 25 November is 00:30 on 26 November in Auckland.
    freeze_time("2026-11-25T11:30:00+00:00")
    auckland = UserFactory(time_zone="Pacific/Auckland")
    DailyEntryFactory(user=auckland, day=datetime.date(2026, 11, 26), stress=6)
    client.force_login(auckland)

    response = client.get("/trends/?range=30d")

    data = trend_data(response)
    assert (data["start"], data["end"]) == ("2026-10-28", "2026-11-26")
    assert data["series"]["measures"]["stress"]["values"][-1] == 6.0


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?range=forever", "Choose one of the ranges shown"),
        ("?range=", "Choose one of the ranges shown"),
        ("?start=&end=", "Give both a start and an end date as real dates"),
        ("?start=2026-02-30&end=2026-03-10", "Give both a start and an end date as real dates"),
        ("?start=2026-03-10&end=2026-03-01", "The end date is before the start date."),
        ("?start=2027-01-01&end=2027-02-01", "That range starts after today"),
        ("?start=2026-03-10", "Give both a start and an end date as real dates"),
    ],
)
def test_a_range_that_cannot_be_shown_explains_why_and_shows_90_days(signed_in, query, message):
    response = signed_in.get(f"/trends/{query}")

    assert response.status_code == 200
    assert any(message in text for text in shown_messages(response))
    assert message in page(response)
    data = trend_data(response)
    assert (data["start"], data["end"]) == ("2026-08-28", "2026-11-25")


@pytest.mark.parametrize(
    "query",
    [
        "?start=0001-01-01&end=2026-11-25",
        "?start=1899-12-31&end=1900-01-31",
    ],
)
def test_a_range_starting_before_1900_explains_why_and_shows_90_days(signed_in, user, query):
    DailyEntryFactory(user=user, day=TODAY)

    response = signed_in.get(f"/trends/{query}")

    assert response.status_code == 200
    assert shown_messages(response) == ["Choose a start date in 1900 or later."]
    data = trend_data(response)
    assert (data["start"], data["end"]) == ("2026-08-28", "2026-11-25")


def test_a_range_starting_on_the_first_day_of_1900_is_shown_by_week(signed_in, user):
    DailyEntryFactory(user=user, day=TODAY, stress=5)

    response = signed_in.get("/trends/?start=1900-01-01&end=2026-11-25")

    assert response.status_code == 200
    data = trend_data(response)
    assert (data["start"], data["granularity"]) == ("1900-01-01", "week")
    assert data["series"]["measures"]["stress"]["mean"][-1] == 5.0


def test_another_persons_entries_never_appear(signed_in, user, other_user):
    own = DailyEntryFactory(user=user, day=TODAY - 2 * ONE_DAY, stress=3, flare_severity=1)
    secret_symptom = Symptom.objects.create(owner=other_user, name="Zebra itch")
    body_image = IntimacyBarrier.objects.get(slug="body-image")
    for offset in range(40):
        entry = DailyEntryFactory(
            user=other_user,
            day=TODAY - offset * ONE_DAY,
            stress=9,
            flare_severity=9,
            sexual_activity="partnered",
            notes="Grace's private note",
        )
        entry.symptoms.set([secret_symptom])
        entry.intimacy_barriers.set([body_image])

    response = signed_in.get("/trends/?range=30d")

    text = page(response)
    data = trend_data(response)
    assert [v for v in data["series"]["measures"]["stress"]["values"] if v is not None] == [3.0]
    assert data["summary"]["days_logged"] == 1
    assert data["summary"]["flare_days"] == 0
    assert data["summary"]["intimacy"]["partnered"] == 0
    assert data["summary"]["top_symptoms"] == []
    assert data["summary"]["barriers"] == []
    for private in ["Zebra itch", "Grace's private note", "Body image", "9.0", "flare 9"]:
        assert private not in text
    assert list(chart_table(response, "stress")) == [own.day.isoformat()]


# The cache: every write shows on the next page load


def stress_mean(response) -> float | None:
    summary = trend_data(response)["summary"]
    return next(m["mean"] for m in summary["measures"] if m["name"] == "stress")


def test_a_day_saved_through_the_model_shows_on_the_next_load(signed_in, user):
    DailyEntryFactory(user=user, day=TODAY, stress=2)
    assert stress_mean(signed_in.get("/trends/?range=30d")) == 2.0

    DailyEntry.objects.save_day(user, TODAY - ONE_DAY, {"stress": 6})

    assert stress_mean(signed_in.get("/trends/?range=30d")) == 4.0


def test_a_day_saved_through_the_log_form_shows_on_the_next_load(signed_in, user):
    DailyEntryFactory(user=user, day=TODAY, stress=2)
    assert stress_mean(signed_in.get("/trends/?range=30d")) == 2.0

    response = signed_in.post("/log/2026-11-20/", {"stress": "8"})
    assert response.status_code == 302

    assert stress_mean(signed_in.get("/trends/?range=30d")) == 5.0


def test_a_changed_day_shows_on_the_next_load(signed_in, user):
    DailyEntryFactory(user=user, day=TODAY, stress=2)
    assert stress_mean(signed_in.get("/trends/?range=30d")) == 2.0

    signed_in.post("/log/2026-11-25/", {"stress": "7"})

    assert stress_mean(signed_in.get("/trends/?range=30d")) == 7.0


def test_symptoms_ticked_on_a_saved_day_show_on_the_next_load(signed_in, user):
    entry = DailyEntryFactory(user=user, day=TODAY)
    assert trend_data(signed_in.get("/trends/?range=30d"))["summary"]["top_symptoms"] == []

    entry.symptoms.set([Symptom.objects.get(owner=None, name="Rash")])

    top = trend_data(signed_in.get("/trends/?range=30d"))["summary"]["top_symptoms"]
    assert top == [{"name": "Rash", "days": 1}]


def test_a_deleted_day_disappears_on_the_next_load(signed_in, user):
    DailyEntryFactory(user=user, day=TODAY, stress=2)
    DailyEntryFactory(user=user, day=TODAY - ONE_DAY, stress=6)
    assert stress_mean(signed_in.get("/trends/?range=30d")) == 4.0

    response = signed_in.post("/log/2026-11-24/delete/")
    assert response.status_code == 302

    assert stress_mean(signed_in.get("/trends/?range=30d")) == 2.0


def test_a_day_deleted_through_the_model_disappears_on_the_next_load(signed_in, user):
    DailyEntryFactory(user=user, day=TODAY, stress=2)
    assert stress_mean(signed_in.get("/trends/?range=30d")) == 2.0

    DailyEntry.objects.get(user=user, day=TODAY).delete()

    assert stress_mean(signed_in.get("/trends/?range=30d")) is None


def test_deleting_an_own_symptom_shows_on_the_next_load(signed_in, user):
    zebra_itch = Symptom.objects.create(owner=user, name="Zebra itch")
    DailyEntryFactory(user=user, day=TODAY).symptoms.set([zebra_itch])
    top = trend_data(signed_in.get("/trends/?range=30d"))["summary"]["top_symptoms"]
    assert top == [{"name": "Zebra itch", "days": 1}]

    signed_in.post(f"/symptoms/{zebra_itch.pk}/delete/")

    assert trend_data(signed_in.get("/trends/?range=30d"))["summary"]["top_symptoms"] == []


def test_a_medication_added_shows_on_the_next_load(signed_in, user):
    assert trend_data(signed_in.get("/trends/?range=30d"))["medications"] == []

    signed_in.post(
        "/medications/", {"name": "Methotrexate", "dose": "15 mg weekly", "started": "2026-11-10"}
    )

    response = signed_in.get("/trends/?range=30d")
    assert [m["name"] for m in trend_data(response)["medications"]] == ["Methotrexate"]
    assert "Methotrexate" in page(response)


def test_barriers_ticked_on_a_saved_day_show_on_the_next_load(signed_in, user):
    entry = DailyEntryFactory(user=user, day=TODAY)
    assert trend_data(signed_in.get("/trends/?range=all"))["summary"]["barriers"] == []

    entry.intimacy_barriers.set([IntimacyBarrier.objects.get(slug="pain")])

    barriers = trend_data(signed_in.get("/trends/?range=all"))["summary"]["barriers"]
    assert barriers == [{"name": "Pain", "days": 1}]


def test_a_medication_removed_disappears_on_the_next_load(signed_in, user):
    medication = MedicationFactory(user=user, name="Methotrexate", started="2026-11-10")
    assert [m["name"] for m in trend_data(signed_in.get("/trends/"))["medications"]] == [
        "Methotrexate"
    ]

    signed_in.post(f"/medications/{medication.pk}/delete/")

    assert not Medication.objects.filter(pk=medication.pk).exists()
    assert trend_data(signed_in.get("/trends/"))["medications"] == []


def test_an_earlier_day_logged_moves_the_start_of_all_time_on_the_next_load(signed_in, user):
    DailyEntryFactory(user=user, day=TODAY - 10 * ONE_DAY, stress=4)
    assert trend_data(signed_in.get("/trends/?range=all"))["start"] == "2026-11-15"

    signed_in.post("/log/2022-02-01/", {"stress": "8"})

    data = trend_data(signed_in.get("/trends/?range=all"))
    assert data["start"] == "2022-02-01"
    assert data["granularity"] == "week"
    assert data["summary"]["days_logged"] == 2
    assert stress_mean(signed_in.get("/trends/?range=all")) == 6.0


def test_deleting_the_first_day_moves_the_start_of_all_time_on_the_next_load(signed_in, user):
    DailyEntryFactory(user=user, day=datetime.date(2022, 2, 1))
    DailyEntryFactory(user=user, day=TODAY - 10 * ONE_DAY)
    assert trend_data(signed_in.get("/trends/?range=all"))["start"] == "2022-02-01"

    signed_in.post("/log/2022-02-01/delete/")

    assert trend_data(signed_in.get("/trends/?range=all"))["start"] == "2026-11-15"


def test_another_persons_days_never_enter_all_time(signed_in, user, other_user):
    DailyEntryFactory(user=user, day=TODAY - 400 * ONE_DAY, stress=2, flare_severity=1)
    DailyEntryFactory(user=other_user, day=TODAY - 900 * ONE_DAY, stress=9, flare_severity=9)
    DailyEntryFactory(user=other_user, day=TODAY - 400 * ONE_DAY, stress=9, flare_severity=9)

    data = trend_data(signed_in.get("/trends/?range=all"))

    assert data["start"] == (TODAY - 400 * ONE_DAY).isoformat()
    assert data["summary"]["days_logged"] == 1
    assert data["summary"]["flare_days"] == 0
    stress = data["series"]["measures"]["stress"]
    assert [value for value in stress["max"] if value is not None] == [2.0]
    assert sum(data["series"]["days_logged"]) == 1


def test_the_calendar_shows_a_saved_day_on_the_next_load(signed_in, user):
    signed_in.get("/trends/?year=2026")

    DailyEntry.objects.save_day(user, datetime.date(2026, 6, 14), {"flare_severity": 7})

    assert "14 June: flare 7" in page(signed_in.get("/trends/?year=2026"))


def test_a_calendar_kept_from_another_range_is_drawn_as_it_was(signed_in, user):
    DailyEntryFactory(
        user=user, day=datetime.date(2026, 6, 14), flare_severity=6, sexual_activity="solo"
    )
    first = signed_in.get("/trends/?range=30d").content.decode()

    # Another range renders the page again but takes the year's calendar from the cache.
    again = signed_in.get("/trends/?range=1y").content.decode()

    label = "14 June: flare 6, sexual activity"
    drawn = f'<a href="/log/2026-06-14/" aria-label="{label}">{ACTIVITY_MARK}</a>'
    assert drawn in first and drawn in again
    assert "&lt;td" not in again
    calendar = re.compile(r'<div class="year-calendar">.*?</div>', re.S)
    assert calendar.search(again)[0] == calendar.search(first)[0]


# Queries: constant in the size of the range


def queries_for(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def three_years(user):
    """An entry on almost every day of three years, with symptoms and barriers on some."""
    first = TODAY - 3 * 365 * ONE_DAY
    entries = DailyEntry.objects.bulk_create(
        DailyEntry(
            user=user,
            day=day,
            stress=number % 11,
            flare_severity=(number * 3) % 11,
            sexual_activity=["none", "solo", "partnered", "both"][number % 4],
            physical_affection=number % 2 == 0,
        )
        for number, day in enumerate(days(first, TODAY))
        if number % 9
    )
    rash = Symptom.objects.get(owner=None, name="Rash")
    pain = IntimacyBarrier.objects.get(slug="pain")
    DailyEntry.symptoms.through.objects.bulk_create(
        DailyEntry.symptoms.through(dailyentry=entry, symptom=rash) for entry in entries[::3]
    )
    DailyEntry.intimacy_barriers.through.objects.bulk_create(
        DailyEntry.intimacy_barriers.through(dailyentry=entry, intimacybarrier=pain)
        for entry in entries[::4]
    )
    return first


def test_the_number_of_queries_does_not_grow_with_the_range(
    signed_in, three_years, django_assert_num_queries
):
    thirty_days = queries_for(signed_in, "/trends/?range=30d")
    custom_three_years = f"/trends/?start={three_years.isoformat()}&end={TODAY.isoformat()}"

    # Session, person, the person's days (one read for the series, summary, streak and the
    # calendar's year), symptoms and barriers (one UNION ALL) and medications.
    assert thirty_days == 5
    for url in ["/trends/?range=1y", custom_three_years]:
        cache.clear()
        with django_assert_num_queries(thirty_days):
            assert signed_in.get(url).status_code == 200


def test_all_time_needs_the_same_queries_for_ten_days_or_three_years(signed_in, user):
    for offset in range(10):
        DailyEntryFactory(user=user, day=TODAY - offset * ONE_DAY)
    few = queries_for(signed_in, "/trends/?range=all")

    DailyEntry.objects.bulk_create(
        DailyEntry(user=user, day=TODAY - offset * ONE_DAY) for offset in range(10, 3 * 365)
    )

    assert queries_for(signed_in, "/trends/?range=all") == few
    # Session, person, first logged day, the person's days (the calendar's year among them),
    # symptoms and barriers (one UNION ALL) and medications.
    assert few == 6


def test_a_calendar_year_outside_the_range_is_read_on_its_own(signed_in, user):
    DailyEntryFactory(user=user, day=datetime.date(2020, 3, 4), flare_severity=9)
    DailyEntryFactory(user=user, day=TODAY, flare_severity=2)
    same_year = queries_for(signed_in, "/trends/?range=30d")
    other_year = queries_for(signed_in, "/trends/?range=30d&year=2020")
    response = signed_in.get("/trends/?range=30d&year=2020")

    assert other_year == same_year + 1
    assert 'aria-label="4 March: flare 9"' in page(response)
    assert trend_data(response)["summary"]["days_logged"] == 1


def test_the_payload_reads_the_persons_days_once_whatever_the_range(
    user, three_years, django_assert_num_queries
):
    for params in [{"range": "30d"}, {"range": "1y"}, {"range": "all"}]:
        period = periods.resolve_period(params, user)
        cache.clear()
        # The days (series, summary, streak and the previous period), symptoms and barriers
        # (one query) and medications.
        with django_assert_num_queries(3):
            series.trends_for(user, period)


def test_a_cached_page_needs_fewer_queries_than_a_fresh_one(signed_in, three_years):
    for url in ["/trends/?range=30d", "/trends/?range=all"]:
        cold = queries_for(signed_in, url)
        with CaptureQueriesContext(connection) as warm:
            signed_in.get(url)
        assert len(warm) < cold, url
        # Warm: the session and the person; all time's first day is cached too.
        assert len(warm) == 2, url


# The flare calendar


def test_the_calendar_shows_the_year_asked_for_with_intimacy_days_marked(signed_in, user):
    DailyEntryFactory(
        user=user, day=datetime.date(2025, 6, 14), flare_severity=6, sexual_activity="partnered"
    )
    DailyEntryFactory(
        user=user, day=datetime.date(2025, 6, 15), flare_severity=0, physical_affection=True
    )

    response = signed_in.get("/trends/?year=2025")

    text = page(response)
    assert "Flare calendar 2025" in text
    assert '<a href="/log/2025-06-14/" aria-label="14 June: flare 6, sexual activity">' in text
    assert "14 June: flare 6, sexual activity" in text
    assert "15 June: flare 0, affection" in text
    assert "16 June: not logged" in text
    assert 'href="/log/2025-06-16/"' not in text
    assert "?range=90d&year=2024#calendar-heading" in text
    assert "?range=90d&year=2026#calendar-heading" in text


def test_the_calendar_defaults_to_the_year_the_range_ends(signed_in, user):
    response = signed_in.get("/trends/?start=2024-01-01&end=2024-03-01")

    assert "Flare calendar 2024" in page(response)
    assert "start=2024-01-01&end=2024-03-01&year=2023" in page(response)


def test_a_future_year_shows_this_year_without_a_link_forward(signed_in):
    response = signed_in.get("/trends/?year=2031")

    assert response.status_code == 200
    assert "Flare calendar 2026" in page(response)
    assert 'rel="next"' not in page(response)


def test_the_calendar_stops_at_1900_without_a_link_further_back(signed_in):
    response = signed_in.get("/trends/?year=1850")

    assert response.status_code == 200
    assert "Flare calendar 1900" in page(response)
    assert "year=1899" not in page(response)


@pytest.mark.parametrize("year", ["abc", "20x5"])
def test_an_unreadable_year_shows_this_year(signed_in, year):
    response = signed_in.get(f"/trends/?year={year}")

    assert response.status_code == 200
    assert "Flare calendar 2026" in page(response)


def test_discreet_mode_hides_the_marks_of_a_calendar_year_already_shown(signed_in, user):
    DailyEntryFactory(
        user=user, day=datetime.date(2026, 6, 14), flare_severity=2, sexual_activity="solo"
    )
    shown = page(signed_in.get("/trends/?year=2026"))
    assert f'aria-label="14 June: flare 2, sexual activity">{ACTIVITY_MARK}</a>' in shown

    user.discreet_mode = True
    user.save(update_fields=["discreet_mode"])

    hidden = page(signed_in.get("/trends/?year=2026"))
    assert 'aria-label="14 June: flare 2, sexual activity">' not in hidden
    assert (
        'aria-label="14 June: flare 2" data-private-label="14 June: flare 2, sexual activity">'
        f"<span data-public>14</span><span data-private hidden>{ACTIVITY_MARK}</span>" in hidden
    )


def test_another_persons_days_never_appear_in_the_calendar(signed_in, other_user):
    DailyEntryFactory(
        user=other_user, day=datetime.date(2026, 6, 14), flare_severity=9, sexual_activity="solo"
    )

    text = page(signed_in.get("/trends/?year=2026"))

    assert "14 June: not logged" in text
    assert "/log/2026-06-14/" not in text


# Medications in the range


def test_medications_taken_in_the_range_are_listed_with_their_changes(signed_in, user, other_user):
    MedicationFactory(user=user, name="Hydroxychloroquine", dose="200 mg", started="2025-01-01")
    MedicationFactory(user=user, name="Prednisolone", dose="", started="2026-11-01")
    MedicationFactory(
        user=user, name="Naproxen", dose="", started="2026-06-01", stopped="2026-11-10"
    )
    MedicationFactory(
        user=user, name="Sulfasalazine", dose="", started="2026-10-30", stopped="2026-11-05"
    )
    MedicationFactory(user=user, name="Ibuprofen", started="2026-01-01", stopped="2026-10-26")
    MedicationFactory(user=other_user, name="Adalimumab", started="2026-11-01")

    response = signed_in.get("/trends/?range=30d")

    text = words(response)
    assert "Hydroxychloroquine (200 mg): taken since 1 Jan 2025, ongoing" in text
    assert "Prednisolone: started 1 Nov 2026, ongoing" in text
    assert "Naproxen: taken since 1 Jun 2026, stopped 10 Nov 2026" in text
    assert "Sulfasalazine: started 30 Oct 2026, stopped 5 Nov 2026" in text
    assert "Ibuprofen" not in text  # stopped the day before the range began
    assert "Adalimumab" not in text
    assert [m["name"] for m in trend_data(response)["medications"]] == [
        "Hydroxychloroquine",
        "Naproxen",
        "Sulfasalazine",
        "Prednisolone",
    ]


def test_a_medication_started_after_a_past_range_is_not_listed(signed_in, user):
    MedicationFactory(user=user, name="Prednisolone", started="2026-11-01")

    response = signed_in.get("/trends/?start=2026-09-01&end=2026-10-31")

    assert "Prednisolone" not in page(response)
    assert trend_data(response)["medications"] == []


def test_the_table_page_of_an_unknown_chart_is_not_found(signed_in):
    assert signed_in.get("/trends/table/blood-pressure/").status_code == 404


def test_the_table_page_needs_a_sign_in(client):
    response = client.get("/trends/table/stress/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_the_table_page_of_a_range_that_cannot_be_shown_explains_why_and_shows_90_days(
    signed_in, user
):
    DailyEntryFactory(user=user, day=datetime.date(2026, 8, 28), stress=7)

    response = signed_in.get("/trends/table/stress/?start=2026-03-10&end=2026-03-01")

    assert response.status_code == 200
    assert "The end date is before the start date." in shown_messages(response)
    assert response.context["period"].key == "90d"
    assert "28 Aug 2026" in words(response)


def test_the_table_page_shows_the_clinician_notice_and_a_way_back(signed_in):
    text = signed_in.get("/trends/table/stress/?range=30d").content.decode()
    assert "consult your clinician" in text
    assert 'href="/trends/?range=30d"' in text
