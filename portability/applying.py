"""Writing a checked import (portability/importing.py) in one transaction: all of it, or
(on any error) nothing."""

from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone

from accounts.models import User
from portability.exporting import CHUNK_SIZE, MEDICATION_FIELDS, TIMESTAMPS
from portability.importing import FORM_FIELDS, DayToImport, ImportPlan
from tracker.models import ACTIVITY_KINDS, DailyEntry, Medication, Symptom

EMPTY = (None, "")
# Set only on a day with sexual activity (the entry_activity_details_need_activity constraint).
ACTIVITY_DETAILS = ("intensity", "satisfaction", "discomfort")
RECORDS_CHANGED = (
    "Your records changed while importing, so nothing was imported. Please import the file again."
)


@dataclass
class ImportResult:
    created: int = 0
    replaced: int = 0
    skipped: int = 0
    filled: int = 0  # logged days given values in their empty fields (or, for another app's
    # file replacing, in the fields it gives)
    medications: int = 0
    symptoms: int = 0
    profile: bool = False

    def summary(self, *, overwrite: bool) -> str:
        """What was imported, in counts, for the person to read."""
        summary = f"Imported {self.created} new day{'s' * (self.created != 1)}"
        if self.filled:
            summary += f", and added to {self.filled} day{'s' * (self.filled != 1)} you had logged"
        elif overwrite:
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
def apply_import(
    user: User, plan: ImportPlan, *, overwrite: bool, fill_empty: bool = False
) -> ImportResult:
    """Writes a checked plan in one transaction: all of it, or (on any error) nothing.

    A day already logged is kept (the default), replaced (`overwrite`), or given the file's
    values only in its empty fields (`fill_empty`). Replacing with another app's file (a
    partial plan) sets only the values the file gives.

    Days are written in bulk, so the per-row signals don't fire; the person's cached summaries
    are marked stale once at the end instead."""
    assert not plan.errors, "Only a plan without problems can be written."
    result = ImportResult()
    symptoms = _create_symptoms(user, plan, result)
    _import_medications(user, plan, overwrite, result)
    if plan.profile is not None:
        _import_profile(user, plan.profile)
    if fill_empty or (overwrite and plan.partial):
        _merge_days(user, plan, symptoms, fill_empty, result)
    else:
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


@dataclass
class _Merge:
    """What a file changes on a day already logged: the field values, and ticks to add."""

    values: dict
    symptoms: list
    barriers: list

    def __bool__(self) -> bool:
        return bool(self.values or self.symptoms or self.barriers)


def _merged(
    entry: DailyEntry, row: DayToImport, symptoms: dict[str, Symptom], fill_empty: bool
) -> _Merge:
    values = {}
    for name, value in row.values.items():
        mine = getattr(entry, name)
        if value in EMPTY or (fill_empty and mine not in EMPTY) or mine == value:
            continue
        values[name] = value
    if values.get("sexual_activity", entry.sexual_activity) not in ACTIVITY_KINDS:
        # Details without an activity can't be stored; an activity that would strand the
        # day's details is not taken either.
        values = {name: value for name, value in values.items() if name not in ACTIVITY_DETAILS}
        if any(getattr(entry, name) is not None for name in ACTIVITY_DETAILS):
            values.pop("sexual_activity", None)
    ticked = list(entry.symptoms.all())
    barriers = list(entry.intimacy_barriers.all())
    new_symptoms = [symptoms[key] for key in dict.fromkeys(row.symptom_keys)]
    new_barriers = list(dict.fromkeys(row.barriers))
    return _Merge(
        values,
        [] if fill_empty and ticked else [s for s in new_symptoms if s not in ticked],
        [] if fill_empty and barriers else [b for b in new_barriers if b not in barriers],
    )


def _logged_entries(user: User, plan: ImportPlan) -> dict:
    return {
        entry.day: entry
        for entry in DailyEntry.objects.for_user(user)
        .filter(day__in=[row.day for row in plan.days])
        .prefetch_related("symptoms", "intimacy_barriers")
    }


def _merge_days(
    user: User,
    plan: ImportPlan,
    symptoms: dict[str, Symptom],
    fill_empty: bool,
    result: ImportResult,
) -> None:
    """Logged days take the file's values where empty (or, replacing with a partial plan,
    wherever the file gives one) and keep the rest; new days are created."""
    logged = _logged_entries(user, plan)
    created = [
        (DailyEntry(user=user, day=row.day, **row.values), row)
        for row in plan.days
        if row.day not in logged
    ]
    DailyEntry.objects.bulk_create([entry for entry, _ in created], batch_size=CHUNK_SIZE)
    _restore_stamps(DailyEntry, [(entry, row.stamps) for entry, row in created])
    links = [
        (entry, [symptoms[key] for key in dict.fromkeys(row.symptom_keys)], row.barriers)
        for entry, row in created
    ]
    changed, fields = [], set()
    for row in plan.days:
        entry = logged.get(row.day)
        merge = _merged(entry, row, symptoms, fill_empty) if entry else None
        if not merge:
            continue
        for name, value in merge.values.items():
            setattr(entry, name, value)
        entry.updated_at = timezone.now()
        fields.update(merge.values)
        changed.append(entry)
        links.append((entry, merge.symptoms, merge.barriers))
    DailyEntry.objects.bulk_update(changed, [*sorted(fields), "updated_at"], batch_size=CHUNK_SIZE)
    for through, item_field, index in (
        (DailyEntry.symptoms.through, "symptom", 1),
        (DailyEntry.intimacy_barriers.through, "intimacybarrier", 2),
    ):
        through.objects.bulk_create(
            [
                through(dailyentry=link[0], **link[0].link_defaults(), **{item_field: item})
                for link in links
                for item in dict.fromkeys(link[index])
            ],
            batch_size=CHUNK_SIZE,
        )
    result.created = len(created)
    result.filled = len(changed)
    result.skipped = len(plan.days) - len(created) - len(changed)


@dataclass
class Outcome:
    """What importing a plan would do to the days, before anything is written."""

    created: int
    changed: int
    unchanged: int  # already logged, and kept as they are


def outcome(user: User, plan: ImportPlan, *, overwrite: bool, fill_empty: bool) -> Outcome:
    logged = _logged_entries(user, plan)
    created = sum(row.day not in logged for row in plan.days)
    if not (overwrite or fill_empty):
        return Outcome(created, 0, len(plan.days) - created)
    if overwrite and not plan.partial:
        return Outcome(created, len(plan.days) - created, 0)
    symptoms = {s.name.casefold(): s for s in Symptom.objects.available_to(user)}
    symptoms.update({key: Symptom(name=name) for key, name in plan.new_symptoms.items()})
    changed = sum(
        bool(_merged(logged[row.day], row, symptoms, fill_empty))
        for row in plan.days
        if row.day in logged
    )
    return Outcome(created, changed, len(plan.days) - created - changed)
