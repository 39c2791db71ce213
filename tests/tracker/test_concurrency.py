"""Nothing is silently overwritten: two tabs, two devices, twenty saves at once."""

import datetime
import threading

import pytest
from django.db import connection
from django.test import Client

from tests.factories import DailyEntryFactory
from tests.pages import words
from tracker.models import DailyEntry, StaleEntry, Symptom, version_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(user) -> datetime.date:
    return user.today()


def version_shown(response) -> str:
    """The hidden version the log form carries."""
    html = response.content.decode()
    start = html.index('name="version" value="') + len('name="version" value="')
    return html[start : html.index('"', start)]


def test_the_log_form_carries_the_version_it_shows(signed_in, user, today):
    entry = DailyEntryFactory(user=user, day=today)

    assert version_shown(signed_in.get("/log/")) == entry.version
    assert version_shown(signed_in.get(f"/log/{today - datetime.timedelta(days=1)}/")) == ""


def test_a_save_changes_the_version(user, today):
    entry = DailyEntryFactory(user=user, day=today)
    before = entry.version

    saved, _ = DailyEntry.objects.save_day(user, today, {"stress": 9}, expected_version=before)

    assert saved.version != before
    assert DailyEntry.objects.get(pk=entry.pk).version == saved.version


def test_a_stale_tab_is_told_and_shown_both_versions_and_nothing_is_overwritten(
    signed_in, user, today
):
    DailyEntryFactory(user=user, day=today, stress=4, notes="Slept badly.")
    first_tab = version_shown(signed_in.get("/log/"))
    # The second tab saves first.
    signed_in.post("/log/", {"version": first_tab, "stress": "8", "notes": "Long day."})

    stale = signed_in.post("/log/", {"version": first_tab, "stress": "2", "notes": "Calm."})

    assert stale.status_code == 200
    text = words(stale)
    assert "This day changed in another tab or on another device" in text
    assert "Question Yours (not saved yet) Saved now Stress 2 8 Notes Calm. Long day." in text
    entry = DailyEntry.objects.get(user=user, day=today)
    assert (entry.stress, entry.notes) == (8, "Long day.")
    # The form keeps what the person typed, ready to save on purpose.
    assert "Calm.</textarea>" in stale.content.decode()
    assert version_shown(stale) == entry.version


def test_saving_again_after_seeing_both_versions_keeps_mine(signed_in, user, today):
    DailyEntryFactory(user=user, day=today, stress=4)
    first_tab = version_shown(signed_in.get("/log/"))
    signed_in.post("/log/", {"version": first_tab, "stress": "8"})
    stale = signed_in.post("/log/", {"version": first_tab, "stress": "2"})

    kept = signed_in.post("/log/", {"version": version_shown(stale), "stress": "2"})

    assert kept.status_code == 302
    assert DailyEntry.objects.get(user=user, day=today).stress == 2


def test_a_day_first_logged_elsewhere_is_not_overwritten_by_a_blank_form(signed_in, user, today):
    blank_form = version_shown(signed_in.get("/log/"))
    assert blank_form == ""
    DailyEntryFactory(user=user, day=today, stress=6)

    response = signed_in.post("/log/", {"version": blank_form, "stress": "1"})

    assert response.status_code == 200
    assert DailyEntry.objects.get(user=user, day=today).stress == 6


def test_a_day_deleted_elsewhere_is_shown_as_not_logged(signed_in, user, today):
    entry = DailyEntryFactory(user=user, day=today, stress=6)
    version = entry.version
    entry.delete()

    response = signed_in.post("/log/", {"version": version, "stress": "1"})

    assert response.status_code == 200
    assert "Saved now Stress 1 Not logged" in words(response)
    assert not DailyEntry.objects.filter(user=user, day=today).exists()


def test_a_form_without_a_version_saves_as_before(signed_in, user, today):
    DailyEntryFactory(user=user, day=today, stress=6)

    assert signed_in.post("/log/", {"stress": "1"}).status_code == 302
    assert DailyEntry.objects.get(user=user, day=today).stress == 1


def test_another_persons_save_never_counts_as_a_change_to_mine(signed_in, user, other_user, today):
    mine = version_shown(signed_in.get("/log/"))
    DailyEntryFactory(user=other_user, day=today, stress=9)

    assert signed_in.post("/log/", {"version": mine, "stress": "3"}).status_code == 302
    assert DailyEntry.objects.get(user=user, day=today).stress == 3
    assert DailyEntry.objects.get(user=other_user, day=today).stress == 9


def test_the_model_refuses_a_stale_version_and_changes_nothing(user, today):
    entry = DailyEntryFactory(user=user, day=today, stress=4)
    old = entry.version
    DailyEntry.objects.save_day(user, today, {"stress": 5})

    with pytest.raises(StaleEntry) as refused:
        DailyEntry.objects.save_day(user, today, {"stress": 9}, expected_version=old)

    assert refused.value.current.stress == 5
    assert DailyEntry.objects.get(user=user, day=today).stress == 5
    with pytest.raises(StaleEntry):
        DailyEntry.objects.delete_day(user, today, expected_version=old)
    assert DailyEntry.objects.filter(user=user, day=today).exists()


def test_the_delete_confirmation_carries_the_version_it_shows(signed_in, user, today):
    entry = DailyEntryFactory(user=user, day=today)

    assert version_shown(signed_in.get(f"/log/{today}/delete/")) == entry.version


def test_deleting_the_version_shown_removes_the_day(signed_in, user, today):
    entry = DailyEntryFactory(user=user, day=today)

    response = signed_in.post(f"/log/{today}/delete/", {"version": entry.version})

    assert response.url == "/history/"
    assert not DailyEntry.objects.filter(user=user).exists()


def test_a_day_changed_since_the_delete_confirmation_is_not_deleted(signed_in, user, today):
    DailyEntryFactory(user=user, day=today, stress=4)
    confirmation = version_shown(signed_in.get(f"/log/{today}/delete/"))
    signed_in.post("/log/", {"version": confirmation, "stress": "8"})  # in another tab

    stale = signed_in.post(f"/log/{today}/delete/", {"version": confirmation})

    assert stale.status_code == 200
    assert (
        "This day changed in another tab or on another device after you opened it, so it was "
        "not deleted. Look at it again before you delete it." in words(stale)
    )
    saved = DailyEntry.objects.get(user=user, day=today)
    assert saved.stress == 8
    # The page asks again, about the day as it is now.
    assert "Delete your log for today?" in words(stale)
    assert version_shown(stale) == saved.version
    assert signed_in.post(f"/log/{today}/delete/", {"version": saved.version}).status_code == 302
    assert not DailyEntry.objects.filter(user=user).exists()


def test_a_day_deleted_elsewhere_after_the_confirmation_says_so(
    signed_in, user, today, monkeypatch
):
    confirmation = DailyEntryFactory(user=user, day=today).version

    def deleted_meanwhile(*args):
        # Another device deleted the day between this request's read and its write.
        raise StaleEntry(None)

    monkeypatch.setattr(DailyEntry.objects, "delete_day", deleted_meanwhile)
    response = signed_in.post(f"/log/{today}/delete/", {"version": confirmation}, follow=True)

    assert response.redirect_chain == [("/history/", 302)]
    assert "Your log for today was already deleted." in words(response)


def test_another_persons_change_never_makes_my_delete_stale(signed_in, user, other_user, today):
    confirmation = DailyEntryFactory(user=user, day=today).version
    DailyEntryFactory(user=other_user, day=today, stress=9)

    signed_in.post(f"/log/{today}/delete/", {"version": confirmation})

    assert not DailyEntry.objects.filter(user=user).exists()
    assert DailyEntry.objects.get(user=other_user, day=today).stress == 9


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_saves_of_one_day_leave_one_row_and_no_error(catalogues, user):
    day = user.today()
    joint_pain = Symptom.objects.get(owner=None, name="Joint pain")
    clients = []
    for _ in range(20):
        client = Client()
        client.force_login(user)
        clients.append(client)
    barrier = threading.Barrier(20)
    answers, failures = [], []

    def save(client: Client, stress: int) -> None:
        try:
            barrier.wait(timeout=20)
            form = {"stress": str(stress), "symptoms": [joint_pain.pk]}
            answers.append(client.post(f"/log/{day}/", form).status_code)
        except Exception as error:  # Reported below, so a failure names its cause.
            failures.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(client, stress % 11))
        for stress, client in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    assert sorted(answers) == [302] * 20
    entries = DailyEntry.objects.filter(user=user, day=day)
    assert entries.count() == 1
    assert entries.get().stress in {n % 11 for n in range(20)}
    assert list(entries.get().symptoms.all()) == [joint_pain]


@pytest.mark.django_db(transaction=True)
def test_of_two_tabs_saving_a_new_day_at_once_exactly_one_wins(catalogues, user):
    day = user.today()
    barrier = threading.Barrier(2)
    outcomes, failures = [], []

    def save(stress: int) -> None:
        try:
            barrier.wait(timeout=10)
            DailyEntry.objects.save_day(user, day, {"stress": stress}, expected_version="")
            outcomes.append("saved")
        except StaleEntry:
            outcomes.append("stale")
        except Exception as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(stress,)) for stress in (3, 7)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert failures == []
    assert sorted(outcomes) == ["saved", "stale"]
    assert DailyEntry.objects.filter(user=user, day=day).count() == 1
    assert version_of(DailyEntry.objects.get(user=user, day=day)) != ""
