"""The insights page, /insights/, and its data, /api/v1/insights/: answers, wording and privacy."""

import datetime
import re

import numpy as np
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import TODAY
from tests.factories import UserFactory
from tests.pages import page, words
from tracker.models import DailyEntry

ONE_DAY = datetime.timedelta(days=1)
CLINICIAN_NOTICE = "consult your clinician"
FORBIDDEN = re.compile(r"\b(cause|causes|cures|should|recommend)\b", re.IGNORECASE)
IDS = [
    "intimacy_next_day_stress",
    "intimacy_next_night_sleep_quality",
    "intimacy_flare_next_2_days",
    "vigorous_vs_gentle_flare_next_2_days",
    "affection_next_day_stress",
    "stress_next_day_flare",
    "sleep_quality_same_day_flare",
]
CORRELATIONS = {"stress_next_day_flare", "sleep_quality_same_day_flare"}
FIELDS = {
    "id",
    "status",
    "estimate",
    "ci_low",
    "ci_high",
    "n_pairs",
    "n_with",
    "n_without",
    "clear",
    "summary",
}


pytestmark = pytest.mark.usefixtures("clock")


def finding_text(response, question: str) -> str:
    """The words of one answer on the page (its <li>), tags removed."""
    item = re.search(rf'<li class="finding [^"]*" id="{question}">(.*?)</li>', page(response), re.S)
    return " ".join(re.sub(r"<[^>]+>", "", item[1]).split())


def finding_class(response, question: str) -> str:
    return re.search(rf'<li class="finding ([^"]*)" id="{question}">', page(response))[1]


def findings(client, url: str = "/api/v1/insights/?range=all") -> dict[str, dict]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return {finding["id"]: finding for finding in response.json()["findings"]}


def log_days(user, days: list[dict | None], last: datetime.date = TODAY) -> None:
    """One entry per item, the last on `last`; None is a day not logged."""
    first = last - (len(days) - 1) * ONE_DAY
    DailyEntry.objects.bulk_create(
        DailyEntry(user=user, day=first + offset * ONE_DAY, **values)
        for offset, values in enumerate(days)
        if values is not None
    )


def diary(seed: int, days: int = 150, stress_after_activity: int = -4) -> list[dict | None]:
    """A diary with sexual activity on every fourth day and stress moved the day after.

    Everything else (sleep, flares, affection) is drawn at random, so it matches nothing.
    Every thirteenth day is not logged.
    """
    rng = np.random.default_rng(seed)
    entries: list[dict | None] = []
    for number in range(days):
        if number % 13 == 12:
            entries.append(None)
            continue
        active = number % 4 == 0
        stress = int(rng.integers(4, 7))
        if number % 4 == 1:  # the day after activity
            stress += stress_after_activity
        entries.append(
            {
                "sexual_activity": "partnered" if active else "none",
                "intensity": ("vigorous" if number % 3 == 0 else "gentle") if active else None,
                "physical_affection": bool(rng.random() < 0.4),
                "stress": min(max(stress, 0), 10),
                "sleep_quality": int(rng.integers(1, 6)),
                "flare_severity": int(rng.integers(0, 11)),
            }
        )
    return entries


def a_few_weeks_diary() -> list[dict]:
    """30 days with sexual activity on only three of them, and affection never answered."""
    return [
        {
            "sexual_activity": "solo" if number in (3, 13, 23) else "none",
            "intensity": "moderate" if number in (3, 13, 23) else None,
            "stress": number % 7,
            "sleep_quality": 1 + number % 5,
            "flare_severity": (number * 3) % 11,
        }
        for number in range(30)
    ]


def steady_diary() -> list[dict]:
    """60 days with the same stress every day, and the same flare severity."""
    return [
        {
            "sexual_activity": "partnered" if number % 3 == 0 else "none",
            "physical_affection": number % 2 == 0,
            "stress": 4,
            "sleep_quality": 1 + number % 5,
            "flare_severity": 2,
        }
        for number in range(60)
    ]


@pytest.fixture
def planted(user):
    """Ada's 150 days: stress 4 points lower the day after sexual activity, nothing else."""
    log_days(user, diary(seed=1))
    return user


@pytest.fixture
def a_few_weeks(user):
    log_days(user, a_few_weeks_diary())
    return user


@pytest.fixture
def steady(user):
    log_days(user, steady_diary())
    return user


# The JSON answer: its shape -----------------------------------------------------------------------


def test_json_answers_the_seven_questions_in_order_with_the_documented_fields(signed_in, planted):
    response = signed_in.get("/api/v1/insights/?range=all")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert [finding["id"] for finding in body["findings"]] == IDS
    for finding in body["findings"]:
        assert set(finding) == FIELDS
        assert finding["status"] in {"ok", "insufficient_data"}
        assert type(finding["clear"]) is bool
        assert isinstance(finding["summary"], str) and finding["summary"]
        assert type(finding["n_pairs"]) is int


def test_json_gives_numbers_for_answers_and_counts_groups_only_for_differences(signed_in, planted):
    answers = findings(signed_in)

    for question, finding in answers.items():
        assert finding["status"] == "ok", finding
        assert finding["ci_low"] <= finding["estimate"] <= finding["ci_high"], finding
        if question in CORRELATIONS:
            assert finding["n_with"] is None and finding["n_without"] is None
            assert -1 <= finding["ci_low"] <= finding["ci_high"] <= 1
        else:
            assert finding["n_with"] + finding["n_without"] == finding["n_pairs"]
    # Of 150 days, 11 are not logged. Of the 35 logged activity days, 32 have the next day
    # logged; of the 104 others, 95 (today has no next day yet).
    stress = answers["intimacy_next_day_stress"]
    assert (stress["n_with"], stress["n_without"]) == (32, 95)


def test_json_has_no_estimate_or_interval_when_there_is_not_enough_data(signed_in, a_few_weeks):
    answers = findings(signed_in)

    for question in IDS[:4]:
        finding = answers[question]
        assert finding["status"] == "insufficient_data", finding
        assert finding["estimate"] is finding["ci_low"] is finding["ci_high"] is None
        assert finding["clear"] is False
    assert answers["intimacy_next_day_stress"]["n_with"] == 3
    assert answers["intimacy_next_day_stress"]["n_without"] == 26
    assert answers["stress_next_day_flare"]["n_with"] is None


def test_someone_with_no_records_gets_seven_answers_waiting_for_data(signed_in):
    answers = findings(signed_in)

    assert list(answers) == IDS
    for finding in answers.values():
        assert finding["status"] == "insufficient_data"
        assert finding["n_pairs"] == 0
        assert finding["estimate"] is None
        assert finding["clear"] is False


def test_json_needs_a_signed_in_person(client, planted):
    response = client.get("/api/v1/insights/?range=all")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert "findings" not in response.json()
    assert response.json()["errors"]["detail"]


def test_the_old_address_of_the_data_is_gone(signed_in, planted):
    # One JSON for insights: the API's, which pages link to.
    assert signed_in.get("/insights.json?range=all").status_code == 404


@pytest.mark.parametrize(
    "query", ["range=forever", "range=7d", "start=2026-02-30&end=2026-03-01", "start=2027-01-01"]
)
def test_json_refuses_a_range_it_cannot_show_with_the_reason(signed_in, planted, query):
    response = signed_in.get(f"/api/v1/insights/?{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    errors = response.json()["errors"]
    assert errors["range"] and all(isinstance(message, str) for message in errors["range"])
    assert "findings" not in response.json()


def test_json_answers_for_each_named_range_and_a_custom_one(signed_in, planted):
    for query in ["range=30d", "range=90d", "range=1y", "start=2026-07-01&end=2026-11-25"]:
        response = signed_in.get(f"/api/v1/insights/?{query}")
        assert response.status_code == 200, query
        assert [finding["id"] for finding in response.json()["findings"]] == IDS
    thirty_days = findings(signed_in, "/api/v1/insights/?range=30d")["intimacy_next_day_stress"]
    all_time = findings(signed_in, "/api/v1/insights/?range=all")["intimacy_next_day_stress"]
    assert thirty_days["n_pairs"] < all_time["n_pairs"]


# The answers: a planted pattern, nothing, too little, no variation --------------------------------


def test_a_strong_pattern_is_a_clear_answer_with_the_right_sign(signed_in, planted):
    stress = findings(signed_in)["intimacy_next_day_stress"]

    assert stress["clear"] is True
    assert stress["estimate"] == pytest.approx(-4, abs=0.5)
    assert stress["ci_high"] < 0
    assert stress["summary"].startswith(
        f"On days after sexual activity your stress was {abs(stress['estimate']):.1f} points "
        "lower on average than on days after none (95% CI "
    )


def test_a_clear_summary_gives_the_interval_and_the_pair_counts(signed_in, planted):
    stress = findings(signed_in)["intimacy_next_day_stress"]
    low, high = sorted((abs(stress["ci_low"]), abs(stress["ci_high"])))

    assert f"(95% CI {low:.1f} to {high:.1f}; 32 pairs vs 95)" in stress["summary"]
    assert "not proof that one thing leads to the other" in stress["summary"]


def test_questions_with_nothing_planted_say_no_clear_difference_or_link(signed_in, planted):
    answers = findings(signed_in)

    for question in IDS[1:]:
        finding = answers[question]
        assert finding["clear"] is False, finding
        assert finding["summary"].startswith(("No clear difference", "No clear link")), finding
        assert "95% CI" in finding["summary"]
        if question in CORRELATIONS:
            assert f"; {finding['n_pairs']} pairs)" in finding["summary"]
        else:
            assert f"; {finding['n_with']} pairs vs {finding['n_without']})" in finding["summary"]


def test_the_insufficient_summary_says_how_many_more_days_of_which_kind(signed_in, a_few_weeks):
    stress = findings(signed_in)["intimacy_next_day_stress"]

    assert stress["summary"] == (
        "Not enough data yet: this needs at least 10 days with sexual activity and 10 days "
        "without, each followed by a day with stress logged. So far there are 3 and 26; about 7 "
        "more days with sexual activity would be needed."
    )


def test_the_insufficient_summary_for_a_correlation_counts_pairs(signed_in, user):
    log_days(user, [{"stress": number % 5, "flare_severity": number % 3} for number in range(8)])

    flare = findings(signed_in)["stress_next_day_flare"]

    assert flare["status"] == "insufficient_data"
    assert flare["n_pairs"] == 7
    assert "there are 7" in flare["summary"]
    assert "About 13 more logged days would be needed." in flare["summary"]


def test_every_insufficient_summary_reads_as_a_sentence(signed_in, a_few_weeks):
    # "There are 3 the two days after sexual activity" is not English: a count needs a noun.
    for finding in findings(signed_in).values():
        if finding["status"] == "insufficient_data":
            assert not re.search(r"\b\d+ (more )?the\b", finding["summary"]), finding["summary"]


def test_values_that_never_change_are_no_variation_rather_than_a_number(signed_in, steady):
    answers = findings(signed_in)

    for question in ["intimacy_next_day_stress", "affection_next_day_stress"]:
        finding = answers[question]
        assert finding["status"] == "insufficient_data"
        assert finding["estimate"] is None
        assert finding["n_with"] >= 10 and finding["n_without"] >= 10
        assert finding["summary"].startswith("Not enough variation yet")
    assert answers["stress_next_day_flare"]["summary"].startswith("Not enough variation yet")
    assert answers["intimacy_next_night_sleep_quality"]["status"] == "ok"


def test_no_variation_is_not_described_as_all_the_same_when_the_groups_differ(signed_in, user):
    # Stress is always 1 the day after activity and always 6 otherwise: neither group varies,
    # but the values are far from "all the same".
    log_days(
        user,
        [
            {
                "sexual_activity": "partnered" if number % 3 == 0 else "none",
                "stress": 1 if number % 3 == 1 else 6,
            }
            for number in range(60)
        ],
    )

    stress = findings(signed_in)["intimacy_next_day_stress"]

    assert stress["status"] == "insufficient_data"
    assert "all the same" not in stress["summary"], stress["summary"]


def test_a_clear_link_says_which_way_the_two_measures_went(signed_in, user):
    rng = np.random.default_rng(3)
    stress, sleep, noise = (
        rng.integers(0, 11, 121),
        rng.integers(1, 6, 121),
        rng.integers(0, 2, 121),
    )
    # A day's flare follows the day before's stress, and is lower after a good night.
    flare = np.clip(np.roll(stress, 1) // 2 + 5 - sleep + noise, 0, 10)
    log_days(
        user,
        [
            {
                "stress": int(stress[number]),
                "sleep_quality": int(sleep[number]),
                "flare_severity": int(flare[number]),
            }
            for number in range(1, 121)
        ],
    )

    answers = findings(signed_in)

    stress_flare, sleep_flare = (
        answers["stress_next_day_flare"],
        answers["sleep_quality_same_day_flare"],
    )
    assert stress_flare["clear"] and stress_flare["estimate"] > 0
    assert (
        "link: when stress on a day was higher, flare severity the next day tended to be higher"
        in stress_flare["summary"]
    )
    assert sleep_flare["clear"] and sleep_flare["estimate"] < 0
    assert (
        "link: when sleep quality was higher, flare severity the same day tended to be lower"
        in sleep_flare["summary"]
    )
    for finding in (stress_flare, sleep_flare):
        assert f"; {finding['n_pairs']} pairs)." in finding["summary"]
        assert "not proof that one thing leads to the other" in finding["summary"]


# The page -----------------------------------------------------------------------------------------


def test_the_page_shows_a_clear_pattern_and_unclear_ones(signed_in, planted):
    response = signed_in.get("/insights/")

    assert response.status_code == 200
    assert finding_class(response, "intimacy_next_day_stress") == "finding--clear"
    assert "Clear pattern" in finding_text(response, "intimacy_next_day_stress")
    answers = findings(signed_in)
    assert answers["intimacy_next_day_stress"]["summary"] in words(response)
    for question in IDS[1:]:
        assert finding_class(response, question) == "finding--unclear"
        assert "No clear pattern" in finding_text(response, question)
        assert answers[question]["summary"] in finding_text(response, question)


def test_the_page_draws_a_clear_lower_stress_interval_left_of_zero(signed_in, planted):
    item = re.search(
        r'id="intimacy_next_day_stress">.*?class="interval__range" x="([\d.]+)" y="8" '
        r'width="([\d.]+)"',
        page(signed_in.get("/insights/")),
        re.S,
    )

    assert float(item[1]) + float(item[2]) < 50  # zero is drawn at 50


def test_the_page_shows_answers_waiting_for_data_without_a_bar(signed_in, a_few_weeks):
    response = signed_in.get("/insights/")

    for question in IDS[:4]:
        assert finding_class(response, question) == "finding--waiting"
        text = finding_text(response, question)
        assert "Not enough data yet" in text
        assert "would be needed" in text
    assert 'id="intimacy_next_day_stress">' in page(response)
    stress_item = re.search(r'id="intimacy_next_day_stress">(.*?)</li>', page(response), re.S)[1]
    assert '<svg class="interval"' not in stress_item


def test_the_page_shows_no_variation(signed_in, steady):
    text = finding_text(signed_in.get("/insights/"), "intimacy_next_day_stress")

    assert "Not enough variation yet" in text


def test_the_page_shows_the_clinician_notice(signed_in, planted):
    assert CLINICIAN_NOTICE in words(signed_in.get("/insights/"))


def test_the_page_says_a_pattern_is_not_proof(signed_in, planted):
    text = words(signed_in.get("/insights/"))

    assert "not proof that one thing leads to the other" in text
    assert "How to read this" in text


@pytest.mark.parametrize("diary_fixture", ["planted", "a_few_weeks", "steady"])
def test_no_summary_uses_a_forbidden_word(signed_in, diary_fixture, request):
    request.getfixturevalue(diary_fixture)

    for finding in findings(signed_in).values():
        assert not FORBIDDEN.search(finding["summary"]), finding["summary"]


def test_the_whole_page_uses_no_forbidden_word(client, db):
    # Every kind of answer: clear, not clear, not enough data, no variation.
    found = []
    for days in [diary(seed=1), a_few_weeks_diary(), steady_diary()]:
        person = UserFactory()
        log_days(person, days)
        client.force_login(person)
        text = words(client.get("/insights/"))
        found += [
            text[max(hit.start() - 40, 0) : hit.end() + 20] for hit in FORBIDDEN.finditer(text)
        ]

    assert found == []


def test_the_page_needs_a_signed_in_person(client):
    response = client.get("/insights/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_page_explains_a_range_it_cannot_show_and_shows_all_time(signed_in, planted):
    response = signed_in.get("/insights/?range=forever", follow=True)

    assert response.status_code == 200
    assert "Choose one of the ranges shown" in words(response)
    assert 'href="?range=all" aria-current="page"' in page(response)


def test_the_page_links_its_data_for_the_range_shown(signed_in, planted):
    assert 'href="/api/v1/insights/?range=30d"' in page(signed_in.get("/insights/?range=30d"))


# Privacy: only the person's own days --------------------------------------------------------------


def test_another_persons_days_never_change_the_answers(client, planted, other_user):
    client.force_login(planted)
    before = client.get("/api/v1/insights/?range=all").json()

    # Grace has the opposite pattern, more days, and days from before Ada's first.
    log_days(other_user, diary(seed=2, days=400, stress_after_activity=4))
    cache.clear()

    assert client.get("/api/v1/insights/?range=all").json() == before
    client.force_login(other_user)
    theirs = findings(client)["intimacy_next_day_stress"]
    assert theirs["estimate"] > 0
    assert theirs["n_pairs"] > before["findings"][0]["n_pairs"]


def test_the_page_shows_only_the_signed_in_persons_answers(client, planted, other_user):
    client.force_login(other_user)
    response = client.get("/insights/")

    for question in IDS:
        assert finding_class(response, question) == "finding--waiting"
        assert "Not enough data yet" in finding_text(response, question)


# The cache: a new day shows on the next load ------------------------------------------------------


def test_saving_a_new_day_changes_the_answers_on_the_next_load(signed_in, planted):
    before = findings(signed_in)["intimacy_next_day_stress"]
    assert findings(signed_in)["intimacy_next_day_stress"] == before  # now from the cache

    # A week ago was not logged (day 142 of 150). Logging it adds a pair after activity (with
    # the next day) and a pair after none (the day before had no activity).
    DailyEntry.objects.save_day(
        planted, TODAY - 7 * ONE_DAY, {"sexual_activity": "solo", "stress": 5}
    )

    after = findings(signed_in)["intimacy_next_day_stress"]
    assert (after["n_with"], after["n_without"]) == (before["n_with"] + 1, before["n_without"] + 1)
    assert after["summary"] != before["summary"]


# Queries: constant in the size of the data --------------------------------------------------------


def queries_for(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def three_years(user):
    """An entry on almost every day of three years."""
    first = TODAY - 3 * 365 * ONE_DAY
    DailyEntry.objects.bulk_create(
        DailyEntry(
            user=user,
            day=first + number * ONE_DAY,
            stress=number % 11,
            flare_severity=(number * 3) % 11,
            sleep_quality=1 + number % 5,
            sexual_activity=["none", "solo", "partnered", "both"][number % 4],
            intensity=[None, "gentle", "vigorous", "moderate"][number % 4],
            physical_affection=number % 2 == 0,
        )
        for number in range(3 * 365 + 1)
        if number % 9
    )
    return first


def test_the_number_of_queries_does_not_grow_with_the_range(
    signed_in, three_years, django_assert_num_queries
):
    thirty_days = queries_for(signed_in, "/api/v1/insights/?range=30d")

    # The session, the person, and the days of the range in one query.
    assert thirty_days == 3
    for url in [
        "/api/v1/insights/?range=1y",
        f"/api/v1/insights/?start={three_years.isoformat()}&end={TODAY.isoformat()}",
    ]:
        cache.clear()
        with django_assert_num_queries(thirty_days):
            assert signed_in.get(url).status_code == 200
    # All time also looks up the first day logged.
    assert queries_for(signed_in, "/api/v1/insights/?range=all") == thirty_days + 1


def test_all_time_needs_the_same_queries_for_ten_days_or_three_years(signed_in, user):
    log_days(user, [{"stress": number % 4} for number in range(10)])
    few = queries_for(signed_in, "/api/v1/insights/?range=all")
    few_page = queries_for(signed_in, "/insights/?range=all")

    log_days(user, [{"stress": number % 4} for number in range(3 * 365)], last=TODAY - 10 * ONE_DAY)

    assert queries_for(signed_in, "/api/v1/insights/?range=all") == few
    assert queries_for(signed_in, "/insights/?range=all") == few_page


def test_a_cached_answer_does_not_read_the_days_again(signed_in, three_years):
    cold = queries_for(signed_in, "/api/v1/insights/?range=1y")
    with CaptureQueriesContext(connection) as warm:
        signed_in.get("/api/v1/insights/?range=1y")

    assert len(warm) == cold - 1


def test_people_are_kept_apart_in_the_cache(client, planted):
    # Two people with identical periods and data versions must not share a cached answer.
    client.force_login(planted)
    findings(client)
    stranger = UserFactory()
    client.force_login(stranger)

    assert findings(client)["intimacy_next_day_stress"]["status"] == "insufficient_data"


@pytest.mark.parametrize(
    ("query", "data_query"),
    [
        ("?range=1y", "range=1y"),
        ("?start=2026-01-01&end=2026-03-31", "start=2026-01-01&end=2026-03-31"),
    ],
)
def test_the_link_to_the_data_names_the_same_period(signed_in, query, data_query):
    link = re.search(
        r'href="(/api/v1/insights/\?[^"]*)"', page(signed_in.get(f"/insights/{query}"))
    )

    url = link[1].replace("&amp;", "&")
    assert url == f"/api/v1/insights/?{data_query}"
    assert signed_in.get(url).status_code == 200
