"""Logging a day: /log/ and /log/YYYY-MM-DD/, the 14-day strip, copying and deleting a day."""

import datetime
import re
from decimal import Decimal

import pytest

from tests.conftest import TODAY
from tests.factories import DailyEntryFactory, SymptomFactory
from tests.pages import page
from tracker.models import DailyEntry, IntimacyBarrier, Symptom

YESTERDAY = datetime.date(2026, 11, 24)


pytestmark = pytest.mark.usefixtures("clock")


def checked(response, name: str) -> set[str]:
    """The values of the radio buttons or checkboxes called `name` that are ticked."""
    inputs = re.findall(rf'<input type="(?:radio|checkbox)" name="{name}"[^>]*>', page(response))
    return {re.search(r'value="([^"]*)"', tag)[1] for tag in inputs if " checked" in tag}


def fieldset_of(response, name: str) -> str:
    """The fieldset that holds the inputs called `name`: its legend, help, errors and choices."""
    for fieldset in re.findall(r"<fieldset.*?</fieldset>", page(response), flags=re.S):
        if f'name="{name}"' in fieldset:
            return fieldset
    raise AssertionError(f"no fieldset for {name}")


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def joint_pain(db):
    return Symptom.objects.get(owner=None, name="Joint pain")


@pytest.fixture
def full_day(joint_pain):
    """Everything a person can fill in on the log form, as the browser would post it."""
    return {
        "sexual_activity": "partnered",
        "intensity": "gentle",
        "satisfaction": "4",
        "discomfort": "2",
        "physical_affection": "True",
        "libido": "4",
        "intimacy_barriers": [IntimacyBarrier.objects.get(slug="pain").pk],
        "stress": "6",
        "sleep_hours": "7.5",
        "sleep_quality": "3",
        "fatigue": "7",
        "flare_severity": "5",
        "symptoms": [joint_pain.pk],
        "notes": "Knees stiff in the morning.",
    }


def test_todays_log_opens_empty_with_the_clinician_notice(signed_in):
    response = signed_in.get("/log/")

    assert response.status_code == 200
    assert response.context["day"] == TODAY
    assert '<time datetime="2026-11-25">' in page(response)
    assert "not logged yet" in page(response)
    for scale in ("sexual_activity", "stress", "fatigue", "flare_severity", "sleep_quality"):
        assert checked(response, scale) == {""}, f"{scale} should start on Skip"
    assert checked(response, "symptoms") == set()
    assert "consult your clinician" in page(response)


def test_saving_a_day_redirects_to_that_day_with_a_message(signed_in, user, full_day):
    response = signed_in.post("/log/", full_day)

    assert response.status_code == 302
    assert response.url == "/log/2026-11-25/"
    assert shown_messages(signed_in.get(response.url)) == ["Saved today."]
    entry = DailyEntry.objects.get(user=user)
    assert entry.day == TODAY


def test_every_answer_is_stored(signed_in, user, full_day, joint_pain):
    signed_in.post("/log/", full_day)

    entry = DailyEntry.objects.get(user=user, day=TODAY)
    assert entry.sexual_activity == "partnered"
    assert entry.intensity == "gentle"
    assert entry.satisfaction == 4
    assert entry.discomfort == 2
    assert entry.physical_affection is True
    assert entry.libido == 4
    assert [barrier.slug for barrier in entry.intimacy_barriers.all()] == ["pain"]
    assert entry.stress == 6
    assert entry.sleep_hours == Decimal("7.5")
    assert entry.sleep_quality == 3
    assert entry.fatigue == 7
    assert entry.flare_severity == 5
    assert list(entry.symptoms.all()) == [joint_pain]
    assert entry.notes == "Knees stiff in the morning."


def test_a_saved_day_reopens_with_its_answers_ticked(signed_in, full_day, joint_pain):
    signed_in.post("/log/", full_day)

    response = signed_in.get("/log/2026-11-25/")

    assert "· saved" in page(response)
    assert checked(response, "sexual_activity") == {"partnered"}
    assert checked(response, "intensity") == {"gentle"}
    assert checked(response, "satisfaction") == {"4"}
    assert checked(response, "discomfort") == {"2"}
    assert checked(response, "physical_affection") == {"True"}
    assert checked(response, "libido") == {"4"}
    pain = IntimacyBarrier.objects.get(slug="pain")
    assert checked(response, "intimacy_barriers") == {str(pain.pk)}
    assert checked(response, "stress") == {"6"}
    assert re.search(r'name="sleep_hours" value="7.50?"', page(response))
    assert checked(response, "sleep_quality") == {"3"}
    assert checked(response, "fatigue") == {"7"}
    assert checked(response, "flare_severity") == {"5"}
    assert checked(response, "symptoms") == {str(joint_pain.pk)}
    assert "Knees stiff in the morning.</textarea>" in page(response)


def test_saving_the_same_day_again_updates_its_one_entry(signed_in, user, full_day):
    signed_in.post("/log/", full_day)
    signed_in.post("/log/2026-11-25/", {**full_day, "stress": "2", "notes": "Better."})

    entry = DailyEntry.objects.get(user=user)
    assert entry.stress == 2
    assert entry.notes == "Better."


def test_a_partial_log_stores_not_logged_for_everything_else(signed_in, user):
    signed_in.post("/log/", {"stress": "3"})

    entry = DailyEntry.objects.get(user=user, day=TODAY)
    assert entry.stress == 3
    for name in (
        "sexual_activity",
        "intensity",
        "satisfaction",
        "discomfort",
        "physical_affection",
        "libido",
        "sleep_hours",
        "sleep_quality",
        "fatigue",
        "flare_severity",
    ):
        assert getattr(entry, name) is None, f"{name} should be NULL, not a default"
    assert entry.notes == ""
    assert not entry.symptoms.exists()
    assert not entry.intimacy_barriers.exists()


def test_stress_of_zero_is_stored_as_zero_not_as_not_logged(signed_in, user):
    signed_in.post("/log/", {"stress": "0", "sleep_hours": "0"})

    entry = DailyEntry.objects.get(user=user)
    assert entry.stress == 0
    assert entry.sleep_hours == 0


def test_physical_affection_no_is_stored_as_no_not_as_not_logged(signed_in, user):
    signed_in.post("/log/", {"physical_affection": "False"})

    assert DailyEntry.objects.get(user=user).physical_affection is False
    assert checked(signed_in.get("/log/"), "physical_affection") == {"False"}


def test_the_notes_box_tells_the_browser_its_limit(signed_in):
    response = signed_in.get("/log/")

    assert re.search(r'<textarea name="notes"[^>]*maxlength="2000"', page(response))


def test_notes_within_the_limit_are_accepted_even_when_the_browser_sends_crlf_line_breaks(
    signed_in, user
):
    # Browsers count a line break as one character against maxlength but post it as "\r\n".
    paragraphs = "\r\n".join(["x" * 99] * 20)  # 1,999 characters as the person typed them

    response = signed_in.post("/log/", {"notes": paragraphs})

    assert response.status_code == 302
    assert DailyEntry.objects.get(user=user).notes == paragraphs.replace("\r\n", "\n")


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("stress", "11", "Choose a number from 0 to 10, or Skip."),
        ("stress", "a lot", "Choose a number from 0 to 10, or Skip."),
        ("sleep_hours", "7.3", "Use quarter hours, such as 7, 7.25, 7.5 or 7.75."),
        ("sleep_hours", "25", "Ensure this value is less than or equal to 24."),
        ("sleep_hours", "-1", "Ensure this value is greater than or equal to 0."),
        ("sleep_hours", "NaN", "Enter a number."),
        ("sleep_hours", "inf", "Enter a number."),
        (
            "notes",
            "x" * 2001,
            "Notes can be up to 2,000 characters; this has 2001. Shorten it and save again.",
        ),
    ],
    ids=lambda item: item[:12] if isinstance(item, str) else item,
)
def test_a_refused_answer_is_explained_and_the_others_are_kept(
    signed_in, user, field, value, error
):
    response = signed_in.post(
        "/log/",
        {"fatigue": "3", "flare_severity": "8", "new_symptom": "Hives", field: value},
    )

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [error]
    assert error in page(response)
    assert "Nothing was saved yet" in page(response)
    assert checked(response, "fatigue") == {"3"}
    assert checked(response, "flare_severity") == {"8"}
    assert 'value="Hives"' in page(response)
    assert not DailyEntry.objects.exists()
    assert not Symptom.objects.owned_by(user).exists()


@pytest.mark.parametrize("activity", ["none", ""])
@pytest.mark.parametrize("detail", [("intensity", "gentle"), ("satisfaction", "3")])
def test_activity_details_without_an_activity_are_refused_next_to_the_field(
    signed_in, activity, detail
):
    field, value = detail
    response = signed_in.post("/log/", {"sexual_activity": activity, field: value, "stress": "4"})

    assert response.status_code == 200
    assert "This describes sexual activity." in fieldset_of(response, field)
    assert "This describes sexual activity." not in fieldset_of(response, "sexual_activity")
    assert checked(response, field) == {value}
    assert checked(response, "stress") == {"4"}
    assert not DailyEntry.objects.exists()


def test_someone_elses_symptom_cannot_be_ticked(signed_in, other_user, joint_pain):
    theirs = SymptomFactory(owner=other_user, name="Hair loss")

    response = signed_in.post("/log/", {"stress": "5", "symptoms": [joint_pain.pk, theirs.pk]})

    assert response.status_code == 200
    assert f"{theirs.pk} is not one of the available choices" in page(response)
    assert checked(response, "stress") == {"5"}
    assert not DailyEntry.objects.exists()


def test_a_new_symptom_becomes_the_persons_own_and_is_ticked(signed_in, user, joint_pain):
    signed_in.post("/log/", {"symptoms": [joint_pain.pk], "new_symptom": "  Hives   at night "})

    hives = Symptom.objects.get(owner=user)
    assert hives.name == "Hives at night"
    entry = DailyEntry.objects.get(user=user)
    assert set(entry.symptoms.all()) == {joint_pain, hives}


def test_naming_a_catalogue_symptom_ticks_it_instead_of_making_a_copy(signed_in, user, joint_pain):
    signed_in.post("/log/", {"new_symptom": "joint PAIN"})

    assert not Symptom.objects.owned_by(user).exists()
    assert list(DailyEntry.objects.get(user=user).symptoms.all()) == [joint_pain]


def test_copying_fills_the_form_from_the_previous_logged_day_without_saving(
    signed_in, user, joint_pain
):
    DailyEntryFactory(user=user, day=datetime.date(2026, 11, 10), stress=1, notes="Old")
    previous = DailyEntryFactory(user=user, day=datetime.date(2026, 11, 22), stress=7, notes="Same")
    previous.symptoms.set([joint_pain])

    response = signed_in.get("/log/?copy=previous")

    assert response.context["copied_from"] == previous
    assert "Filled in from Sunday 22 November" in page(response)
    assert checked(response, "stress") == {"7"}
    assert checked(response, "symptoms") == {str(joint_pain.pk)}
    assert "Same</textarea>" in page(response)
    assert not DailyEntry.objects.filter(day=TODAY).exists()
    assert DailyEntry.objects.count() == 2


def test_copying_with_no_earlier_day_leaves_the_form_empty(signed_in):
    response = signed_in.get("/log/?copy=previous")

    assert response.status_code == 200
    assert response.context["copied_from"] is None
    assert checked(response, "stress") == {""}


def test_a_future_day_sends_the_person_to_today_with_a_message(signed_in):
    response = signed_in.get("/log/2026-11-26/", follow=True)

    assert response.redirect_chain == [("/log/", 302)]
    assert response.context["day"] == TODAY
    assert shown_messages(response) == [
        "2026-11-26 hasn't happened yet. You can log today or any earlier day."
    ]


def test_nothing_can_be_saved_for_a_future_day(signed_in):
    response = signed_in.post("/log/2026-11-26/", {"stress": "4"})

    assert response.status_code == 302
    assert response.url == "/log/"
    assert not DailyEntry.objects.exists()


def test_an_impossible_date_sends_the_person_to_today_with_a_message(signed_in):
    response = signed_in.get("/log/2026-02-30/", follow=True)

    assert response.redirect_chain == [("/log/", 302)]
    assert shown_messages(response) == [
        "“2026-02-30” is not a real date. Use YYYY-MM-DD, for example 2026-01-31."
    ]


def test_the_first_day_of_the_calendar_is_answered_without_a_server_error(signed_in):
    # The previous-day link and the 14-day strip reach before 1 January of year 1.
    response = signed_in.get("/log/0001-01-01/")

    assert response.status_code in {200, 302}


def test_a_past_day_links_to_the_day_before_and_the_day_after(signed_in):
    response = signed_in.get("/log/2026-11-24/")

    assert response.context["day_name"] == "yesterday"
    assert 'href="/log/2026-11-23/" rel="prev"' in page(response)
    assert 'href="/log/2026-11-25/" rel="next"' in page(response)


def test_today_links_back_but_not_forward(signed_in):
    response = signed_in.get("/log/")

    assert 'href="/log/2026-11-24/" rel="prev"' in page(response)
    assert 'rel="next"' not in page(response)


def test_the_strip_shows_the_last_fourteen_days_and_marks_the_logged_ones(signed_in, user):
    for day in (20, 23):
        DailyEntryFactory(user=user, day=datetime.date(2026, 11, day))
    DailyEntryFactory(user=user, day=datetime.date(2026, 11, 1))

    response = signed_in.get("/log/")

    strip = re.findall(
        r'<a href="/log/([\d-]+)/" class="recent__day( recent__day--logged)?"', page(response)
    )
    assert [day for day, _ in strip] == [
        (TODAY - datetime.timedelta(days=n)).isoformat() for n in range(13, -1, -1)
    ]
    assert {day for day, logged in strip if logged} == {"2026-11-20", "2026-11-23"}
    assert "Monday 23 November, logged" in page(response)
    assert "Tuesday 24 November, not logged" in page(response)
    assert 'href="/log/2026-11-25/" class="recent__day" aria-current="date"' in page(response)


def test_the_strip_ignores_another_persons_days(signed_in, other_user):
    DailyEntryFactory(user=other_user, day=YESTERDAY)

    response = signed_in.get("/log/")

    assert "recent__day--logged" not in page(response)


def test_deleting_a_day_asks_for_confirmation_first(signed_in, user):
    DailyEntryFactory(user=user, day=YESTERDAY)

    response = signed_in.get("/log/2026-11-24/delete/")

    assert response.status_code == 200
    assert "Delete your log for yesterday?" in page(response)
    assert DailyEntry.objects.filter(user=user, day=YESTERDAY).exists()


def test_deleting_a_day_removes_it_and_returns_to_history(signed_in, user):
    DailyEntryFactory(user=user, day=YESTERDAY)
    DailyEntryFactory(user=user, day=TODAY)

    response = signed_in.post("/log/2026-11-24/delete/")

    assert response.status_code == 302
    assert response.url == "/history/"
    assert list(DailyEntry.objects.values_list("day", flat=True)) == [TODAY]
    assert shown_messages(signed_in.get("/history/")) == ["Deleted your log for yesterday."]


@pytest.mark.parametrize("method", ["get", "post"])
def test_deleting_a_day_that_was_never_logged_is_not_found(signed_in, method):
    response = getattr(signed_in, method)("/log/2026-11-24/delete/")

    assert response.status_code == 404


def test_another_persons_version_deletes_nothing_of_theirs(client, user, other_user):
    entry = DailyEntryFactory(user=user, day=YESTERDAY)
    client.force_login(other_user)

    response = client.post("/log/2026-11-24/delete/", {"version": entry.version})

    assert response.status_code == 404
    assert DailyEntry.objects.filter(user=user, day=YESTERDAY).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/log/"),
        ("post", "/log/"),
        ("get", "/log/2026-11-24/"),
        ("post", "/log/2026-11-24/"),
        ("get", "/log/2026-11-24/delete/"),
        ("post", "/log/2026-11-24/delete/"),
        ("get", "/history/"),
        ("get", "/symptoms/"),
        ("post", "/symptoms/"),
        ("post", "/symptoms/1/delete/"),
    ],
)
def test_visitors_are_sent_to_sign_in_for_every_tracker_page(client, method, url):
    response = getattr(client, method)(url, {"stress": "4"} if method == "post" else None)

    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={url}"
    assert not DailyEntry.objects.exists()


def test_another_person_sees_their_own_empty_form_on_the_same_date(client, user, other_user):
    DailyEntryFactory(user=user, day=YESTERDAY, stress=8, notes="Only mine to read")
    client.force_login(other_user)

    response = client.get("/log/2026-11-24/")

    assert response.status_code == 200
    assert response.context["entry"] is None
    assert "Only mine to read" not in page(response)
    assert checked(response, "stress") == {""}
    assert "not logged yet" in page(response)


def test_another_persons_save_of_the_same_date_leaves_the_first_untouched(client, user, other_user):
    DailyEntryFactory(user=user, day=YESTERDAY, stress=8)
    client.force_login(other_user)

    client.post("/log/2026-11-24/", {"stress": "1"})

    assert DailyEntry.objects.get(user=user, day=YESTERDAY).stress == 8
    assert DailyEntry.objects.get(user=other_user, day=YESTERDAY).stress == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_person_cannot_delete_the_first_ones_day(client, user, other_user, method):
    DailyEntryFactory(user=user, day=YESTERDAY)
    client.force_login(other_user)

    response = getattr(client, method)("/log/2026-11-24/delete/")

    assert response.status_code == 404
    assert DailyEntry.objects.filter(user=user, day=YESTERDAY).exists()


def test_the_copy_button_names_the_day_it_copies(signed_in, user):
    today = user.today()
    DailyEntryFactory(user=user, day=today - datetime.timedelta(days=1))
    assert "Same as yesterday" in signed_in.get("/log/").content.decode()

    two_days_ago = today - datetime.timedelta(days=3)
    page = signed_in.get(f"/log/{two_days_ago + datetime.timedelta(days=1)}/").content.decode()
    assert "Same as the day before" not in page  # nothing logged the day before that one
    DailyEntryFactory(user=user, day=two_days_ago)
    page = signed_in.get(f"/log/{two_days_ago + datetime.timedelta(days=1)}/").content.decode()
    assert "Same as the day before" in page


def test_the_copy_button_names_an_older_day_when_yesterday_was_not_logged(signed_in, user):
    older = user.today() - datetime.timedelta(days=4)
    DailyEntryFactory(user=user, day=older)
    page = signed_in.get("/log/").content.decode()
    assert f"Same as {older:%A} {older.day} {older:%B}" in page
