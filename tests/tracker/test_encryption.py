"""Notes are encrypted at rest: the database holds ciphertext, people read their own words, and
keys can be rotated without losing a note."""

import datetime
import io
import runpy
from importlib import import_module
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.conf import settings as django_settings
from django.core.exceptions import FieldError, ImproperlyConfigured, ValidationError
from django.core.management import call_command
from django.db import connection

from tests.factories import DailyEntryFactory, MedicationFactory
from tests.pages import page
from tracker.demo import NOTES as DEMO_NOTES
from tracker.models import DailyEntry, Medication

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()
NOTE = "Knees hot and swollen — cancelled dinner with Sam.\nBetter by 9 pm. 🔥"
SETTINGS_FILE = Path(django_settings.BASE_DIR) / "config" / "settings.py"
migration = import_module("tracker.migrations.0005_encrypt_notes")


def stored(model, field: str, pk: int) -> str:
    """The column exactly as the database holds it, read past the model field."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {field} FROM {model._meta.db_table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def store_raw(model, field: str, pk: int, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {model._meta.db_table} SET {field} = %s WHERE id = %s", [value, pk])


def rotate() -> str:
    out = io.StringIO()
    call_command("rotate_notes_key", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_database_holds_ciphertext_and_the_person_reads_their_words(user):
    entry = DailyEntryFactory(user=user, notes=NOTE)
    medication = MedicationFactory(user=user, note="Take with folic acid on Fridays")

    assert stored(DailyEntry, "notes", entry.pk).startswith("gAAAAA")  # a Fernet token
    assert "Knees" not in stored(DailyEntry, "notes", entry.pk)
    assert "folic" not in stored(Medication, "note", medication.pk)
    assert DailyEntry.objects.get(pk=entry.pk).notes == NOTE
    assert Medication.objects.get(pk=medication.pk).note == "Take with folic acid on Fridays"


@pytest.mark.django_db
def test_the_same_note_twice_is_stored_as_two_different_tokens(user, other_user):
    first = DailyEntryFactory(user=user, notes="Same words")
    second = DailyEntryFactory(user=other_user, notes="Same words")

    assert stored(DailyEntry, "notes", first.pk) != stored(DailyEntry, "notes", second.pk)


@pytest.mark.django_db
def test_a_blank_note_stays_blank_so_having_a_note_is_still_queryable(user):
    blank = DailyEntryFactory(user=user, day=datetime.date(2026, 11, 1), notes="")
    noted = DailyEntryFactory(user=user, day=datetime.date(2026, 11, 2), notes="Tired")

    assert stored(DailyEntry, "notes", blank.pk) == ""
    assert list(DailyEntry.objects.exclude(notes="")) == [noted]
    assert list(DailyEntry.objects.filter(notes="")) == [blank]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "lookup", [{"notes": "Tired"}, {"notes__icontains": "tired"}, {"notes__in": ["Tired"]}]
)
def test_searching_inside_encrypted_notes_is_refused_rather_than_silently_empty(user, lookup):
    DailyEntryFactory(user=user, notes="Tired")

    with pytest.raises(FieldError, match=r"(?i)encrypted"):
        list(DailyEntry.objects.filter(**lookup))


@pytest.mark.django_db
def test_values_and_ranges_stay_plain_and_queryable(user):
    entry = DailyEntryFactory(user=user, stress=7, flare_severity=6, notes="Rough day")

    assert stored(DailyEntry, "stress", entry.pk) == 7
    assert DailyEntry.objects.filter(stress__gte=5, flare_severity__gte=6).get() == entry
    assert list(DailyEntry.objects.values_list("flare_severity", "notes")) == [(6, "Rough day")]


@pytest.mark.django_db
def test_rotation_moves_every_note_to_the_new_key_so_the_old_key_can_go(settings, user):
    settings.NOTES_ENCRYPTION_KEYS = [KEY_A]
    days = [datetime.date(2026, 11, day) for day in range(1, 8)]
    written = {day: f"Day {day.day}: {NOTE}" for day in days}
    for day, note in written.items():
        DailyEntryFactory(user=user, day=day, notes=note)
    DailyEntryFactory(user=user, day=datetime.date(2026, 11, 8), notes="")
    medication = MedicationFactory(user=user, note="Weekly, with food")

    settings.NOTES_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    output = rotate()

    assert "tracker.DailyEntry.notes: 7 rotated." in output
    assert "tracker.Medication.note: 1 rotated." in output
    assert "Rotated 8 notes to the current key." in output
    settings.NOTES_ENCRYPTION_KEYS = [KEY_B]
    assert {e.day: e.notes for e in DailyEntry.objects.exclude(notes="")} == written
    assert DailyEntry.objects.filter(notes="").count() == 1
    assert Medication.objects.get(pk=medication.pk).note == "Weekly, with food"
    assert NOTE not in stored(DailyEntry, "notes", DailyEntry.objects.first().pk)


@pytest.mark.django_db
def test_rotating_again_changes_nothing_and_loses_nothing(settings, user):
    settings.NOTES_ENCRYPTION_KEYS = [KEY_A]
    entry = DailyEntryFactory(user=user, notes=NOTE)
    settings.NOTES_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    rotate()
    token = stored(DailyEntry, "notes", entry.pk)

    output = rotate()

    assert "Rotated 0 notes to the current key." in output
    assert stored(DailyEntry, "notes", entry.pk) == token
    settings.NOTES_ENCRYPTION_KEYS = [KEY_B]
    assert DailyEntry.objects.get(pk=entry.pk).notes == NOTE


@pytest.mark.django_db
def test_rotation_works_through_many_batches(settings, user):
    settings.NOTES_ENCRYPTION_KEYS = [KEY_A]
    first = datetime.date(2026, 1, 1)
    for offset in range(25):
        DailyEntryFactory(
            user=user, day=first + datetime.timedelta(days=offset), notes=f"n{offset}"
        )
    settings.NOTES_ENCRYPTION_KEYS = [KEY_B, KEY_A]

    call_command("rotate_notes_key", batch_size=4, stdout=io.StringIO())

    settings.NOTES_ENCRYPTION_KEYS = [KEY_B]
    assert sorted(DailyEntry.objects.values_list("notes", flat=True)) == sorted(
        f"n{offset}" for offset in range(25)
    )


@pytest.mark.django_db
def test_dropping_a_key_before_rotating_fails_loudly_without_showing_the_note(settings, user):
    settings.NOTES_ENCRYPTION_KEYS = [KEY_A]
    entry = DailyEntryFactory(user=user, notes=NOTE)
    settings.NOTES_ENCRYPTION_KEYS = [KEY_B]

    with pytest.raises(ImproperlyConfigured, match="rotate_notes_key") as failure:
        DailyEntry.objects.get(pk=entry.pk)
    assert "Knees" not in str(failure.value)


@pytest.mark.django_db
def test_the_migration_encrypts_existing_notes_once_and_reverses(user):
    entry = DailyEntryFactory(user=user, day=datetime.date(2026, 11, 1))
    already_encrypted = DailyEntryFactory(user=user, day=datetime.date(2026, 11, 2), notes="New")
    medication = MedicationFactory(user=user)
    store_raw(DailyEntry, "notes", entry.pk, NOTE)  # as stored before the migration
    store_raw(Medication, "note", medication.pk, "Plain note")
    token = stored(DailyEntry, "notes", already_encrypted.pk)

    migration.encrypt_stored_notes(apps, None)

    assert NOTE not in stored(DailyEntry, "notes", entry.pk)
    assert DailyEntry.objects.get(pk=entry.pk).notes == NOTE
    assert Medication.objects.get(pk=medication.pk).note == "Plain note"
    assert stored(DailyEntry, "notes", already_encrypted.pk) == token  # not encrypted twice

    migration.decrypt_stored_notes(apps, None)

    assert stored(DailyEntry, "notes", entry.pk) == NOTE
    assert stored(DailyEntry, "notes", already_encrypted.pk) == "New"
    assert stored(Medication, "note", medication.pk) == "Plain note"


@pytest.mark.django_db
def test_seed_demo_stores_its_notes_encrypted():
    call_command("seed_demo", "--days", "365", stdout=io.StringIO())

    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM tracker_dailyentry WHERE notes <> ''")
        tokens = [token for (token,) in cursor.fetchall()]
    assert tokens
    assert all(token.startswith("gAAAAA") for token in tokens)
    assert set(DailyEntry.objects.exclude(notes="").values_list("notes", flat=True)) <= set(
        DEMO_NOTES
    )


@pytest.mark.django_db
def test_the_length_limit_holds_in_model_validation_now_the_database_cannot_check_it(user):
    entry = DailyEntry(user=user, day=datetime.date(2026, 11, 1), notes="x" * 2001)

    with pytest.raises(ValidationError) as refusal:
        entry.full_clean()

    assert refusal.value.message_dict["notes"] == [
        "Ensure this value has at most 2000 characters (it has 2001)."
    ]
    entry.notes = "🔥" * 2000  # four bytes each: the limit counts characters
    entry.full_clean()


@pytest.mark.django_db
def test_the_log_form_and_the_api_refuse_2001_characters_with_a_clear_message(
    client, user, freeze_time
):
    freeze_time("2026-11-25T12:00:00+00:00")
    client.force_login(user)
    message = "Notes can be up to 2,000 characters; this has 2001. Shorten it and save again."

    form = client.post("/log/", {"notes": "x" * 2001})
    api = client.put(
        "/api/v1/entries/2026-11-24/", {"notes": "x" * 2001}, content_type="application/json"
    )

    assert form.status_code == 200
    assert message in page(form)
    assert api.status_code == 400
    assert api.json() == {"errors": {"notes": [message]}}
    assert not DailyEntry.objects.exists()
    assert client.post("/log/", {"notes": "x" * 2000}).status_code == 302
    assert DailyEntry.objects.get().notes == "x" * 2000


@pytest.mark.django_db
def test_a_medication_note_over_500_characters_is_refused_by_validation(user):
    medication = MedicationFactory.build(user=user, note="n" * 501)

    with pytest.raises(ValidationError) as refusal:
        medication.full_clean()

    assert list(refusal.value.message_dict) == ["note"]


def settings_from(monkeypatch, **environment: str) -> dict:
    """config/settings.py as it reads this environment, run on its own."""
    for name in ("DEBUG", "SECRET_KEY", "NOTES_ENCRYPTION_KEYS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


def test_production_refuses_to_start_without_a_notes_key(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="NOTES_ENCRYPTION_KEYS must be set"):
        settings_from(monkeypatch, DEBUG="false", SECRET_KEY="s3cret")


def test_a_malformed_notes_key_is_refused_at_start(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="must be a Fernet key"):
        settings_from(monkeypatch, DEBUG="false", SECRET_KEY="s3cret", NOTES_ENCRYPTION_KEYS="abc")


def test_keys_come_from_the_environment_first_one_current(monkeypatch):
    configured = settings_from(
        monkeypatch,
        DEBUG="false",
        SECRET_KEY="s3cret",
        NOTES_ENCRYPTION_KEYS=f" {KEY_B}, {KEY_A} ",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        SINGLE_PROCESS="true",
    )

    assert configured["NOTES_ENCRYPTION_KEYS"] == [KEY_B, KEY_A]


def test_development_uses_the_clearly_named_development_key_only_while_debugging(monkeypatch):
    configured = settings_from(monkeypatch, DEBUG="true")

    assert configured["NOTES_ENCRYPTION_KEYS"] == [configured["DEVELOPMENT_ONLY_NOTES_KEY"]]
