"""Writing a checked import (portability/importing.py) in one transaction: all of it, or
(on any error) nothing."""

from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone

from accounts.models import User
from portability.exporting import CHUNK_SIZE, MEDICATION_FIELDS, TIMESTAMPS
from portability.importing import FORM_FIELDS, ImportPlan
from tracker.models import DailyEntry, Medication, Symptom

RECORDS_CHANGED = (
    "Your records changed while importing, so nothing was imported. Please import the file again."
)


@dataclass
class ImportResult:
    created: int = 0
    replaced: int = 0
    skipped: int = 0
    medications: int = 0
    symptoms: int = 0
    profile: bool = False

    def summary(self, *, overwrite: bool) -> str:
        """What was imported, in counts, for the person to read."""
        summary = f"Imported {self.created} new day{'s' * (self.created != 1)}"
        if overwrite:
            summary += f" and replaced {self.replaced}"
        elif self.skipped:
            summary += f", and kept your own {self.skipped} where the file had them too"
        extras = []
        if self.medications:
            extras.append(f"{self.medications} medication{'s' * (self.medications != 1)}")
        if self.symptoms:
            extras.append(f"{self.symptoms} new symptom{'s' * (self.symptoms != 1)} of your own")
        if self.profile:
            extras.append("your profile settings")
        if extras:
            summary += "; also " + " and ".join(extras)
        return summary + "."


@transaction.atomic
def apply_import(user: User, plan: ImportPlan, *, overwrite: bool) -> ImportResult:
    """Writes a checked plan in one transaction: all of it, or (on any error) nothing.

    Days are written in bulk, so the per-row signals don't fire; the person's cached summaries
    are marked stale once at the end instead."""
    assert not plan.errors, "Only a plan without problems can be written."
    result = ImportResult()
    symptoms = _create_symptoms(user, plan, result)
    _import_medications(user, plan, overwrite, result)
    if plan.profile is not None:
        _import_profile(user, plan.profile)
    _import_days(user, plan, symptoms, overwrite, result)
    User.objects.mark_records_changed(user.pk)
    result.profile = plan.profile is not None
    return result


def _create_symptoms(user: User, plan: ImportPlan, result: ImportResult) -> dict[str, Symptom]:
    symptoms = {s.name.casefold(): s for s in Symptom.objects.available_to(user)}
    new = [
        Symptom(owner=user, name=name)
        for key, name in plan.new_symptoms.items()
        if key not in symptoms
    ]
    Symptom.objects.bulk_create(new)
    symptoms.update({symptom.name.casefold(): symptom for symptom in new})
    result.symptoms = len(new)
    return symptoms


def _restore_stamps(model: type[models.Model], rows: list[tuple[models.Model, dict]]) -> None:
    """Puts back the creation and change times the file gave (saving sets them to now)."""
    stamped = []
    for obj, stamps in rows:
        if stamps:
            for name, stamp in stamps.items():
                setattr(obj, name, stamp)
            stamped.append(obj)
    model.objects.bulk_update(stamped, TIMESTAMPS, batch_size=CHUNK_SIZE)


def _import_medications(user: User, plan: ImportPlan, overwrite: bool, result: ImportResult):
    existing = {(m.name.casefold(), m.started): m for m in Medication.objects.for_user(user)}
    created, replaced = [], []
    for values, stamps in plan.medications:
        saved = existing.get((values["name"].casefold(), values["started"]))
        if saved is None:
            created.append((Medication(user=user, **values), stamps))
        elif overwrite:
            for name, value in values.items():
                setattr(saved, name, value)
            saved.updated_at = timezone.now()
            replaced.append((saved, stamps))
    Medication.objects.bulk_create([obj for obj, _ in created])
    Medication.objects.bulk_update([obj for obj, _ in replaced], [*MEDICATION_FIELDS, "updated_at"])
    _restore_stamps(Medication, created + replaced)
    result.medications = len(created) + len(replaced)


def _import_profile(user: User, values: dict) -> None:
    conditions = values.pop("conditions")
    for name, value in values.items():
        setattr(user, name, value)
    user.save(update_fields=list(values))
    user.conditions.set(conditions)


def _import_days(
    user: User,
    plan: ImportPlan,
    symptoms: dict[str, Symptom],
    overwrite: bool,
    result: ImportResult,
) -> None:
    logged = set(
        DailyEntry.objects.for_user(user)
        .filter(day__in=[row.day for row in plan.days])
        .values_list("day", flat=True)
    )
    rows = [row for row in plan.days if overwrite or row.day not in logged]
    written = [(DailyEntry(user=user, day=row.day, **row.values), row) for row in rows]
    entries = [entry for entry, _ in written]
    if overwrite:
        # One INSERT ... ON CONFLICT per batch: a logged day keeps its row and creation time
        # and takes every value from the file (a value the file leaves empty is emptied).
        DailyEntry.objects.bulk_create(
            entries,
            batch_size=CHUNK_SIZE,
            update_conflicts=True,
            unique_fields=["user", "day"],
            update_fields=[*FORM_FIELDS, "updated_at"],
        )
    else:
        DailyEntry.objects.bulk_create(entries, batch_size=CHUNK_SIZE)
    _restore_stamps(DailyEntry, [(entry, row.stamps) for entry, row in written])
    replaced = [entry for entry, row in written if row.day in logged]
    _link(
        DailyEntry.symptoms.through,
        "symptom",
        [(entry, [symptoms[key] for key in row.symptom_keys]) for entry, row in written],
        replaced,
    )
    _link(
        DailyEntry.intimacy_barriers.through,
        "intimacybarrier",
        [(entry, row.barriers) for entry, row in written],
        replaced,
    )
    result.replaced = len(replaced)
    result.created = len(written) - len(replaced)
    result.skipped = len(plan.days) - len(written)


def _link(
    through: type[models.Model],
    item_field: str,
    links: list[tuple[DailyEntry, list]],
    replaced: list[DailyEntry],
) -> None:
    """Ticks each entry's symptoms (or barriers), in place of what replaced entries had."""
    through.objects.filter(dailyentry__in=replaced).delete()
    through.objects.bulk_create(
        [
            through(dailyentry=entry, **entry.link_defaults(), **{item_field: item})
            for entry, items in links
            for item in dict.fromkeys(items)
        ],
        batch_size=CHUNK_SIZE,
    )
