"""The weekly look back, /week/ and /week/YYYY-Www/: one ISO week of the person's own calendar
against the week before (tracker/week.py)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import resolve, reverse

from tests.conftest import TODAY
from tests.factories import MedicationFactory, UserFactory
from tests.pages import page, words
from tracker import week as weekly
from tracker.models import DailyEntry

pytestmark = pytest.mark.usefixtures("clock")

ONE_DAY = datetime.timedelta(days=1)
# TODAY is Wednesday 25 November 2026, in ISO week 48 (Monday 23 to Sunday 29 November).
THIS_MONDAY = datetime.date(2026, 11, 23)
LAST_MONDAY = datetime.date(2026, 11, 16)  # week 47, the seeded week
CLINICIAN_NOTICE = "consult your clinician"
DASH = "\u2013"  # what a cell shows for a measure not logged


def log(user, day: datetime.date, **values) -> DailyEntry:
    """A logged day with exactly these answers (no factory defaults)."""
    return DailyEntry.objects.create(user=user, day=day, **values)


@pytest.fixture
def seeded_week(user):
    """Week 47 (16-22 November) with six days logged, week 46 with two, and medications."""
    nov = lambda day: datetime.date(2026, 11, day)  # noqa: E731
    log(user, nov(16), stress=4, fatigue=5, flare_severity=2, sleep_hours=Decimal("7.5"), libido=3)
    log(user, nov(17), stress=6, fatigue=8, flare_severity=6, sleep_hours=Decimal("6"))
    log(user, nov(18), stress=2, fatigue=2, flare_severity=1)
    log(user, nov(19), flare_severity=7)  # no fatigue: not compared for best and hardest
    log(user, nov(20), stress=7, fatigue=6, flare_severity=8)
    log(user, nov(22), stress=2)
    # The week before.
    log(user, nov(10), stress=6, fatigue=4, flare_severity=3)
    log(user, nov(12), stress=8, fatigue=6, flare_severity=5, libido=4)
    # The week after: not counted.
    log(user, nov(23), stress=10, fatigue=10, flare_severity=10)
    MedicationFactory(user=user, name="Methotrexate", dose="15 mg weekly", started=nov(18))
    MedicationFactory(user=user, name="Prednisolone", dose="5 mg", started=nov(1), stopped=nov(20))
    MedicationFactory(user=user, name="Hydroxychloroquine", started=nov(1))  # taken, unchanged
    MedicationFactory(user=user, name="Folic acid", started=nov(23))  # the week after
    return LAST_MONDAY


def average(summary: weekly.WeekSummary, name: str) -> weekly.MeasureAverage:
    return next(measure for measure in summary.averages if measure.name == name)


PRIVATE_ANSWERS = re.compile(r'<details class="private-answers">.*?</details>', re.S)


def outside_details(response) -> str:
    """The page's HTML without the private answers a person must open to see them."""
    return PRIVATE_ANSWERS.sub("", page(response))


# The numbers ------------------------------------------------------------------------------


def test_a_seeded_week_counts_its_days_and_averages_each_measure_against_the_week_before(
    user, seeded_week
):
    summary = weekly.week_summary(user, seeded_week)

    assert summary.days_logged == 6
    assert (summary.monday, summary.sunday) == (LAST_MONDAY, datetime.date(2026, 11, 22))
    assert summary.label == "2026-W47"
    stress = average(summary, "stress")
    assert (stress.mean, stress.previous_mean, stress.change, stress.days) == (4.2, 7.0, -2.8, 5)
    fatigue = average(summary, "fatigue")
    assert (fatigue.mean, fatigue.previous_mean, fatigue.change, fatigue.days) == (5.25, 5, 0.25, 4)
    flare = average(summary, "flare_severity")
    assert (flare.mean, flare.previous_mean, flare.change) == (4.8, 4, 0.8)
    sleep = average(summary, "sleep_hours")
    assert (sleep.mean, sleep.previous_mean, sleep.change, sleep.days) == (6.75, None, None, 2)
    quality = average(summary, "sleep_quality")
    assert (quality.mean, quality.previous_mean, quality.change, quality.days) == (
        None,
        None,
        None,
        0,
    )
    desire = average(summary, "libido")
    assert (desire.mean, desire.previous_mean, desire.change, desire.intimate) == (3, 4, -1, True)


def test_the_best_and_hardest_days_add_flare_severity_and_fatigue_and_the_flare_breaks_a_tie(
    user, seeded_week
):
    summary = weekly.week_summary(user, seeded_week)

    # 16th: 2 + 5, 17th: 6 + 8, 18th: 1 + 2, 20th: 8 + 6; the 19th has no fatigue logged.
    assert summary.compared_days == 4
    assert summary.best == weekly.StandoutDays((datetime.date(2026, 11, 18),), 1, 2)
    # The 17th and the 20th both add up to 14: the 20th's flare was worse.
    assert summary.hardest == weekly.StandoutDays((datetime.date(2026, 11, 20),), 8, 6)


def test_days_that_tie_exactly_are_all_named(signed_in, user):
    log(user, LAST_MONDAY, fatigue=3, flare_severity=4)
    log(user, LAST_MONDAY + 2 * ONE_DAY, fatigue=3, flare_severity=4)
    log(user, LAST_MONDAY + 4 * ONE_DAY, fatigue=6, flare_severity=6)

    summary = weekly.week_summary(user, LAST_MONDAY)

    assert summary.best == weekly.StandoutDays((LAST_MONDAY, LAST_MONDAY + 2 * ONE_DAY), 4, 3)
    assert summary.hardest == weekly.StandoutDays((LAST_MONDAY + 4 * ONE_DAY,), 6, 6)
    assert "Best days: Monday 16 November, Wednesday 18 November (flare severity 4" in words(
        signed_in.get("/week/2026-W47/")
    )


def test_no_day_stands_out_when_every_compared_day_was_alike(signed_in, user):
    for offset in range(3):
        log(user, LAST_MONDAY + offset * ONE_DAY, fatigue=4, flare_severity=2)

    summary = weekly.week_summary(user, LAST_MONDAY)
    response = signed_in.get("/week/2026-W47/")

    assert (summary.best, summary.hardest, summary.all_alike) == (None, None, True)
    assert "No day stood out: the 3 days with both flare severity and fatigue logged" in words(
        response
    )


def test_one_compared_day_is_neither_the_best_nor_the_hardest(signed_in, user):
    log(user, LAST_MONDAY, fatigue=9, flare_severity=9)
    log(user, LAST_MONDAY + ONE_DAY, flare_severity=1)  # no fatigue

    summary = weekly.week_summary(user, LAST_MONDAY)
    response = signed_in.get("/week/2026-W47/")

    assert (summary.compared_days, summary.best, summary.all_alike) == (1, None, False)
    assert "Only one day this week had both flare severity and fatigue logged" in words(response)


def test_medications_started_or_stopped_within_the_week_are_its_changes(user, seeded_week):
    changes = weekly.week_summary(user, seeded_week).medication_changes

    assert [(change.day.day, change.name, change.started) for change in changes] == [
        (18, "Methotrexate", True),
        (20, "Prednisolone", False),
    ]


def test_a_course_started_and_stopped_the_same_day_reads_in_order(user):
    MedicationFactory(user=user, name="Ibuprofen", started=LAST_MONDAY, stopped=LAST_MONDAY)

    changes = weekly.week_summary(user, LAST_MONDAY).medication_changes

    assert [(change.name, change.started) for change in changes] == [
        ("Ibuprofen", True),
        ("Ibuprofen", False),
    ]


def test_the_page_shows_the_seeded_weeks_numbers_and_states_the_rule(signed_in, seeded_week):
    response = signed_in.get("/week/2026-W47/")
    text = words(response)

    assert response.status_code == 200
    assert "Week of 16 November 2026" in text
    assert "Monday 16 November 2026 to Sunday 22 November 2026 (week 47 of 2026)" in text
    assert "6 of 7 days logged." in text
    assert (
        "Best day: Wednesday 18 November (flare severity 1 out of 10, fatigue 2 out of 10)" in text
    )
    assert (
        "Hardest day: Friday 20 November (flare severity 8 out of 10, fatigue 6 out of 10)" in text
    )
    assert "for each day with both logged, flare severity and fatigue are added up" in text
    assert "Stress 4.2 7.0 -2.8 5" in text
    assert f"Hours slept 6.75 {DASH} {DASH} 2" in text
    assert "Desire 3.0 4.0 -1.0 1" in text
    assert "Wednesday 18 November: started Methotrexate (15 mg weekly)" in text
    assert "Friday 20 November: stopped Prednisolone (5 mg)" in text
    assert "Hydroxychloroquine" not in text and "Folic acid" not in text
    assert "No pattern in your records became clear this week." in text
    assert CLINICIAN_NOTICE in text


def test_an_empty_week_says_nothing_was_logged_without_failing(signed_in, user):
    summary = weekly.week_summary(user, LAST_MONDAY)
    response = signed_in.get("/week/2026-W47/")
    text = words(response)

    assert (summary.days_logged, summary.compared_days, summary.best) == (0, 0, None)
    assert all(measure.mean is None and measure.days == 0 for measure in summary.averages)
    assert summary.medication_changes == summary.new_insights == ()
    assert response.status_code == 200
    assert "0 of 7 days logged." in text
    assert "No day this week had both flare severity and fatigue logged" in text
    assert f"Stress {DASH} {DASH} {DASH} 0" in text
    assert "No medication started or stopped this week." in text


# Which week -------------------------------------------------------------------------------


def test_this_week_is_the_one_today_is_in_and_counts_the_days_so_far(signed_in, user):
    log(user, THIS_MONDAY, stress=3)
    log(user, TODAY, stress=5)

    response = signed_in.get("/week/")
    text = words(response)

    assert response.status_code == 200
    assert "This week Monday 23 November 2026 to Sunday 29 November 2026" in text
    assert "2 of 7 days logged so far: the week has had 3 days up to today." in text


def test_week_boundaries_follow_the_persons_time_zone(db, client, freeze_time):
    # Sunday 29 November, 20:00 in London: Monday 30 November, 09:00 in Auckland and still
    # Sunday, 12:00, in Los Angeles.
    freeze_time("2026-11-29T20:00:00+00:00")
    auckland = UserFactory(time_zone="Pacific/Auckland")
    los_angeles = UserFactory(time_zone="America/Los_Angeles")
    for person in (auckland, los_angeles):
        log(person, datetime.date(2026, 11, 29), stress=1)
        log(person, datetime.date(2026, 11, 30), stress=9)  # only Auckland has reached it

    client.force_login(auckland)
    in_auckland = words(client.get("/week/"))
    assert "Monday 30 November 2026 to Sunday 6 December 2026" in in_auckland
    assert "1 of 7 days logged" in in_auckland
    assert client.get("/week/2026-W49/").status_code == 200

    client.force_login(los_angeles)
    in_los_angeles = words(client.get("/week/"))
    assert "Monday 23 November 2026 to Sunday 29 November 2026" in in_los_angeles
    assert "Stress 1.0" in in_los_angeles
    assert client.get("/week/2026-W49/").status_code == 404


def test_weeks_link_to_the_week_before_and_after(signed_in):
    last_week = page(signed_in.get("/week/2026-W47/"))
    this_week = page(signed_in.get("/week/"))
    earlier = page(signed_in.get("/week/2026-W40/"))

    assert 'href="/week/2026-W46/" rel="prev"' in last_week
    assert 'href="/week/" rel="next"' in last_week
    assert 'href="/week/2026-W47/" rel="prev"' in this_week
    assert 'rel="next"' not in this_week
    assert 'href="/week/2026-W41/" rel="next"' in earlier


def test_the_week_links_cross_into_a_new_year_by_iso_weeks(signed_in):
    # ISO 2026's week 1 began on Monday 29 December 2025; ISO 2020 had 53 weeks.
    first = signed_in.get("/week/2026-W01/")
    fifty_third = signed_in.get("/week/2020-W53/")

    assert "Monday 29 December 2025" in words(first)
    assert 'href="/week/2025-W52/" rel="prev"' in page(first)
    assert "Monday 28 December 2020" in words(fifty_third)
    assert 'href="/week/2021-W01/" rel="next"' in page(fifty_third)


def test_the_first_week_hearth_keeps_has_no_week_before(signed_in):
    response = signed_in.get("/week/1900-W01/")

    assert response.status_code == 200
    assert 'rel="prev"' not in page(response)


@pytest.mark.parametrize(
    ("week", "says"),
    [
        ("2026-W49", "hasn't begun yet"),  # next week
        ("2027-W01", "hasn't begun yet"),
        ("9999-W52", "hasn't begun yet"),
        ("2025-W53", "2025 has no week 53"),
        ("2026-W54", "2026 has no week 54"),
        ("2026-W00", "2026 has no week 0"),
        ("1899-W52", "too early"),
        ("0000-W01", "too early"),
        ("2026-w47", "does not name a week"),
        ("2026-W7", "does not name a week"),
        ("2026W47", "does not name a week"),
        ("2026-W47-1", "does not name a week"),
        ("2026-11-16", "does not name a week"),
        ("\uff12\uff10\uff12\uff16-W47", "does not name a week"),  # full-width digits
        ("x" * 300, "does not name a week"),
        ("%00", "does not name a week"),
    ],
)
def test_an_address_that_names_no_week_that_has_begun_answers_404_saying_why(signed_in, week, says):
    response = signed_in.get(f"/week/{week}/")

    assert response.status_code == 404
    assert says in words(response)
    assert "Look back at this week" in words(response)


def test_week_summary_refuses_a_day_that_is_not_a_monday_or_a_week_not_begun(user):
    with pytest.raises(ValueError, match="not a Monday"):
        weekly.week_summary(user, TODAY)
    with pytest.raises(ValueError, match="not begun"):
        weekly.week_summary(user, THIS_MONDAY + 7 * ONE_DAY)


def test_read_week_and_week_label_agree():
    for monday in (datetime.date(1900, 1, 1), datetime.date(2020, 12, 28), LAST_MONDAY):
        assert weekly.read_week(weekly.week_label(monday), TODAY) == monday
    assert weekly.week_start(datetime.date(2026, 11, 29)) == LAST_MONDAY + 7 * ONE_DAY


# Privacy ----------------------------------------------------------------------------------


def test_a_second_person_never_sees_the_first_ones_week(client, other_user, seeded_week):
    client.force_login(other_user)

    response = client.get("/week/2026-W47/")
    text = words(response)

    assert response.status_code == 200
    assert "0 of 7 days logged." in text
    assert "Methotrexate" not in text and "Prednisolone" not in text
    assert f"Stress {DASH} {DASH} {DASH} 0" in text
    assert weekly.week_summary(other_user, seeded_week).days_logged == 0


def test_signed_out_the_page_asks_to_sign_in(client):
    for path in ("/week/", "/week/2026-W47/", "/week/nonsense/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")


def test_both_addresses_are_marked_as_health_data_read_from_the_replica():
    for path in (reverse("tracker:week"), reverse("tracker:week_of", args=["2026-W47"])):
        view = resolve(path).func
        assert view.shows_health_data is True
        assert view.reads_from_replica is True


def test_discreet_mode_keeps_desire_behind_show_private_answers(signed_in, user, seeded_week):
    user.discreet_mode = True
    user.save(update_fields=["discreet_mode"])

    response = signed_in.get("/week/2026-W47/")

    assert "Desire" not in outside_details(response)
    assert "Stress" in outside_details(response)
    details = PRIVATE_ANSWERS.findall(page(response))
    assert any("Desire: 3.0 on the 1-5 scale this week, 4.0 the week before" in d for d in details)


def test_without_discreet_mode_desire_is_in_the_table(signed_in, seeded_week):
    response = signed_in.get("/week/2026-W47/")

    assert not PRIVATE_ANSWERS.search(page(response))
    assert "Desire" in outside_details(response)


# What became clear ------------------------------------------------------------------------


@pytest.fixture
def stress_then_flare(user):
    """From 1 November to Sunday 22 November, each day's flare follows the day before's stress:
    14 pairs up to Sunday 15 November (too few for an answer), 21 up to the 22nd."""
    first = datetime.date(2026, 11, 1)
    for offset in range(22):
        stress = [1, 8, 3, 9, 2, 7, 4, 10, 0, 6, 5][offset % 11]
        previous = [1, 8, 3, 9, 2, 7, 4, 10, 0, 6, 5][(offset - 1) % 11]
        log(user, first + offset * ONE_DAY, stress=stress, flare_severity=previous)


def test_an_insight_that_became_clear_this_week_is_listed_with_its_words(
    signed_in, user, stress_then_flare
):
    summary = weekly.week_summary(user, LAST_MONDAY)
    response = signed_in.get("/week/2026-W47/")

    assert [finding["id"] for finding in summary.new_insights] == ["stress_next_day_flare"]
    assert "Does stress on one day go with my flare the next day?" in words(response)
    assert "when stress on a day was higher, flare severity the next day tended to be higher" in (
        words(response)
    )


def test_an_insight_already_clear_the_week_before_is_not_new(user, stress_then_flare):
    assert weekly.week_summary(user, THIS_MONDAY).new_insights == ()


# Speed ------------------------------------------------------------------------------------


def test_the_summary_needs_six_queries_however_much_was_logged(
    user, seeded_week, django_assert_num_queries
):
    # The days logged and averages (one aggregate), the ranked days, the medications, the first
    # logged day, and the person's days for the insights up to each of the two Sundays.
    with django_assert_num_queries(6):
        weekly.week_summary(user, seeded_week)

    DailyEntry.objects.bulk_create(
        DailyEntry(user=user, day=TODAY - offset * ONE_DAY, stress=offset % 11, fatigue=3)
        for offset in range(30, 3 * 365)
    )
    cache.clear()
    with django_assert_num_queries(6):
        weekly.week_summary(user, seeded_week)
    # Cached until the person writes: the first logged day and the insights.
    with django_assert_num_queries(3):
        weekly.week_summary(user, seeded_week)


def test_the_page_needs_the_summarys_queries_and_the_session_and_person(
    signed_in, seeded_week, django_assert_num_queries
):
    with django_assert_num_queries(8):
        assert signed_in.get("/week/2026-W47/").status_code == 200


def test_the_history_page_links_to_this_week(signed_in):
    assert 'href="/week/"' in page(signed_in.get("/history/"))


def test_discreet_mode_keeps_an_intimate_insight_behind_show_private_answers(
    signed_in, user, monkeypatch
):
    user.discreet_mode = True
    user.save(update_fields=["discreet_mode"])
    clear = {
        "id": "intimacy_next_day_stress",
        "title": "Is my stress different the day after intimacy?",
        "intimate": True,
        "clear": True,
        "summary": "On days after sexual activity your stress was 2.0 points lower.",
    }
    # Clear with the days up to this week's end, not with those up to the week before's.
    monkeypatch.setattr(
        weekly,
        "findings_for",
        lambda person, period: [{**clear, "clear": period.end >= LAST_MONDAY}],
    )

    response = signed_in.get("/week/2026-W47/")

    assert "day after intimacy" not in outside_details(response)
    assert "No pattern in your records became clear this week." not in words(response)
    assert any("day after intimacy" in part for part in PRIVATE_ANSWERS.findall(page(response)))


def test_discreet_mode_offers_the_same_private_answers_whether_or_not_one_became_clear(
    signed_in, user
):
    user.discreet_mode = True
    user.save(update_fields=["discreet_mode"])

    response = signed_in.get("/week/2026-W47/")

    private = PRIVATE_ANSWERS.findall(page(response))
    assert len(private) == 2
    assert "Nothing about intimacy became clear this week." in private[1]
