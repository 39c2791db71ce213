"""A person's records as a FHIR R4 (4.0.1) Bundle of type `collection`, for clinical systems.

The bundle holds a minimal Patient (the display name, if any; never the email address), a
Condition for each condition in the profile, a MedicationStatement for each medication, and one
Observation per logged value per day, dated with the person's own calendar day. Every
Observation carries Hearth's own code (in CODES: the DailyEntry field's name for a measure or
answer; `symptom`, `intimacy_barrier` or `notes` otherwise) and, where LOINC has one meaning
exactly that, the LOINC code too. Symptoms are Observations coded LOINC 75325-1 "Symptom" whose
value is the symptom's name. The README lists every code. Intimacy answers (sexual-health
symptoms among them) and notes are the person's to share: they are left out unless asked for.

Like the other exports it streams a chunk of days at a time (exporting.entries_for_export), so
the queries are the same few however long the journal is.
"""

import json
import uuid
from collections.abc import Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone

from accounts.models import User
from portability import exporting
from tracker.measures import MEASURES, Measure
from tracker.models import DailyEntry, IntimacyBarrier, Medication, Symptom

CONTENT_TYPE = "application/fhir+json"

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
# Hearth's own code systems. URNs, not web addresses: they name Hearth's codes wherever Hearth
# runs, and no address has to answer for them.
HEARTH_SYSTEM = "urn:hearth:fhir:CodeSystem:"
CODES = HEARTH_SYSTEM + "daily-log"
CONDITIONS = HEARTH_SYSTEM + "condition"
BARRIERS = HEARTH_SYSTEM + "intimacy-barrier"

# LOINC codes for what Hearth asks, where one means exactly that (listed in the README).
LOINC_CODES = {"sleep_hours": ("93832-4", "Sleep duration")}
SYMPTOM_LOINC = ("75325-1", "Symptom")
# A measure's unit (tracker/measures.py) as UCUM spells it.
UCUM_UNITS = {"hours": "h"}

# The intimacy answers of a day besides the registry's intimate measures, in the log's order;
# the FHIR value type follows the model field (choices, yes/no or points).
INTIMACY_ANSWERS = (
    "sexual_activity",
    "intensity",
    "satisfaction",
    "discomfort",
    "physical_affection",
)
# Hearth codes that are not DailyEntry measures or answers.
BARRIER_CODE = ("intimacy_barrier", "What held intimacy back")
SYMPTOM_CODE = ("symptom", "Symptom")
NOTES_CODE = ("notes", "Notes")

SURVEY = [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}]
ACTIVE = {"coding": [{"system": CONDITION_CLINICAL, "code": "active", "display": "Active"}]}


def _new_url() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


def _entry(resource: dict) -> dict:
    return {"fullUrl": _new_url(), "resource": resource}


def _coding(system: str, code: str, display: str) -> dict:
    return {"system": system, "code": code, "display": display}


def _answer_system(name: str) -> str:
    """The code system of a coded answer's choices, e.g. the kinds of sexual activity."""
    return HEARTH_SYSTEM + name.replace("_", "-")


def patient(user: User) -> dict:
    resource = {"resourceType": "Patient"}
    if user.display_name:
        resource["name"] = [{"text": user.display_name}]
    return resource


class _Observations:
    """Builds the Observations of one person's days, all pointing at their Patient entry."""

    def __init__(self, patient_url: str, *, include_intimacy: bool, include_notes: bool):
        self.subject = {"reference": patient_url}
        self.include_intimacy = include_intimacy
        self.include_notes = include_notes
        self.measures = [m for m in MEASURES.values() if include_intimacy or not m.intimate]

    def observation(self, entry: DailyEntry, codings: list[dict], text: str, value: dict) -> dict:
        return _entry(
            {
                "resourceType": "Observation",
                "status": "final",
                "category": SURVEY,
                "code": {"coding": codings, "text": text},
                "subject": self.subject,
                "effectiveDateTime": entry.day.isoformat(),
                "performer": [self.subject],  # the person logged it themselves
                **value,
            }
        )

    def measure(self, entry: DailyEntry, measure: Measure) -> dict:
        codings = [_coding(CODES, measure.name, measure.label)]
        if measure.name in LOINC_CODES:
            codings.insert(0, _coding(LOINC, *LOINC_CODES[measure.name]))
        logged = getattr(entry, measure.name)
        if measure.unit:  # a quantity (hours)
            unit = UCUM_UNITS[measure.unit]
            quantity = {"value": float(logged), "unit": unit, "system": UCUM, "code": unit}
            return self.observation(entry, codings, measure.label, {"valueQuantity": quantity})
        text = f"{measure.label} ({measure.scale})"  # points on a scale
        return self.observation(entry, codings, text, {"valueInteger": logged})

    def answer(self, entry: DailyEntry, name: str) -> dict:
        label = str(DailyEntry._meta.get_field(name).verbose_name).capitalize()
        logged = getattr(entry, name)
        if isinstance(logged, bool):
            value = {"valueBoolean": logged}
        elif isinstance(logged, str):  # one of the field's choices
            display = getattr(entry, f"get_{name}_display")()
            concept = {"coding": [_coding(_answer_system(name), logged, display)], "text": display}
            value = {"valueCodeableConcept": concept}
        else:
            value = {"valueInteger": logged}
        return self.observation(entry, [_coding(CODES, name, label)], label, value)

    def barrier(self, entry: DailyEntry, barrier: IntimacyBarrier) -> dict:
        concept = {"coding": [_coding(BARRIERS, barrier.slug, barrier.name)], "text": barrier.name}
        codings = [_coding(CODES, *BARRIER_CODE)]
        return self.observation(entry, codings, BARRIER_CODE[1], {"valueCodeableConcept": concept})

    def symptom(self, entry: DailyEntry, symptom: Symptom) -> dict:
        codings = [_coding(LOINC, *SYMPTOM_LOINC), _coding(CODES, *SYMPTOM_CODE)]
        concept = {"text": symptom.name}  # a person's own symptoms have no code of any kind
        return self.observation(entry, codings, SYMPTOM_CODE[1], {"valueCodeableConcept": concept})

    def notes(self, entry: DailyEntry) -> dict:
        codings = [_coding(CODES, *NOTES_CODE)]
        return self.observation(entry, codings, NOTES_CODE[1], {"valueString": entry.notes})

    def observations(self, entry: DailyEntry) -> Iterator[dict]:
        for measure in self.measures:
            if getattr(entry, measure.name) is not None:
                yield self.measure(entry, measure)
        if self.include_intimacy:
            for name in INTIMACY_ANSWERS:
                if getattr(entry, name) is not None:
                    yield self.answer(entry, name)
            for barrier in entry.intimacy_barriers.all():
                yield self.barrier(entry, barrier)
        for symptom in entry.symptoms.all():
            if self.include_intimacy or not symptom.intimate:
                yield self.symptom(entry, symptom)
        if self.include_notes and entry.notes:
            yield self.notes(entry)


def conditions(user: User, subject: dict) -> Iterator[dict]:
    for condition in user.conditions.all():
        named = user.other_condition if condition.slug == "other" and user.other_condition else ""
        yield _entry(
            {
                "resourceType": "Condition",
                "clinicalStatus": ACTIVE,
                "code": {
                    "coding": [_coding(CONDITIONS, condition.slug, condition.name)],
                    "text": named or condition.name,
                },
                "subject": subject,
            }
        )


def medication_statements(user: User, subject: dict, *, include_notes: bool) -> Iterator[dict]:
    today = user.today()
    for medication in Medication.objects.for_user(user).order_by("started", "name", "pk"):
        period = {"start": medication.started.isoformat()}
        if medication.stopped:
            period["end"] = medication.stopped.isoformat()
        finished = medication.stopped is not None and medication.stopped < today
        resource = {
            "resourceType": "MedicationStatement",
            "status": "completed" if finished else "active",
            "medicationCodeableConcept": {"text": medication.name},
            "subject": subject,
            "effectivePeriod": period,
        }
        if medication.dose:
            resource["dosage"] = [{"text": medication.dose}]
        if include_notes and medication.note:
            resource["note"] = [{"text": medication.note}]
        yield _entry(resource)


def bundle_entries(user: User, *, include_intimacy: bool, include_notes: bool) -> Iterator[dict]:
    """The bundle's entries in order: the Patient, conditions, medications, then each day's
    Observations, oldest day first."""
    person = _entry(patient(user))
    yield person
    subject = {"reference": person["fullUrl"]}
    yield from conditions(user, subject)
    yield from medication_statements(user, subject, include_notes=include_notes)
    days = _Observations(
        person["fullUrl"], include_intimacy=include_intimacy, include_notes=include_notes
    )
    for entry in exporting.entries_for_export(user):
        yield from days.observations(entry)


def fhir_bundle(user: User, *, include_intimacy: bool, include_notes: bool) -> Iterator[str]:
    """The Bundle as JSON text, in pieces: its head, then one entry at a time."""
    now = timezone.now().isoformat()
    head = {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {"lastUpdated": now},
        "type": "collection",
        "timestamp": now,
    }
    text = json.dumps(head, ensure_ascii=False)
    yield text[:-1] + ', "entry": ['
    entries = bundle_entries(user, include_intimacy=include_intimacy, include_notes=include_notes)
    for number, entry in enumerate(entries):  # never empty: the Patient comes first
        yield ("," if number else "") + json.dumps(entry, ensure_ascii=False)
    yield "]}\n"


def fhir_response(
    user: User, *, include_intimacy: bool, include_notes: bool
) -> StreamingHttpResponse:
    return exporting.download(
        fhir_bundle(user, include_intimacy=include_intimacy, include_notes=include_notes),
        CONTENT_TYPE,
        f"hearth-export-{user.today().isoformat()}.fhir.json",
    )
