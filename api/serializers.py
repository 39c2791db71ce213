"""What the API reads and writes.

The serializers here check only JSON types (5, not "5"; true, not "true"). Every rule about
values is the web form's: `FormBackedSerializer` turns the input into the data a browser would
post, runs the same form as the page, and answers with the form's own messages. So the API and
the pages accept and refuse exactly the same things.
"""

import datetime
import math

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tracker.catalogue import INTIMACY_BARRIERS
from tracker.days import read_day
from tracker.forms import DailyEntryForm, MedicationForm, SymptomForm, form_data, look_up
from tracker.measures import HEALTH_MEASURES, INTIMATE_MEASURES, MEASURES
from tracker.medications import MEDICATION_NOTE_MAX_LENGTH
from tracker.models import IntimacyBarrier, Medication, Symptom

ENTRY_FIELDS = DailyEntryForm.base_fields
SLEEP_HOURS = ENTRY_FIELDS["sleep_hours"]


def form_errors(form: forms.BaseForm) -> dict[str, list[str]]:
    return {
        "non_field_errors" if name == forms.forms.NON_FIELD_ERRORS else name: list(messages)
        for name, messages in form.errors.items()
    }


class FormBackedSerializer(serializers.Serializer):
    """Validates by running a Django form over the input (merged over the saved values when
    patching); the valid form is left on `self.form` for the view to save."""

    def make_form(self, data: dict) -> forms.BaseForm:
        raise NotImplementedError

    def saved_values(self) -> dict:
        """The saved object's values, in form terms: what a PATCH leaves alone."""
        return {}

    def validate(self, attrs: dict) -> dict:
        values = {**self.saved_values(), **attrs} if self.partial else attrs
        self.form = self.make_form(form_data(values))
        if not self.form.is_valid():
            raise serializers.ValidationError(form_errors(self.form))
        return attrs


class TextField(serializers.CharField):
    """Text that must arrive as a JSON string (DRF's CharField would also take 5 or true).

    A length limit is only described, not declared as maxLength: the form enforces it as it
    counts, after trimming spaces at either end."""

    def __init__(self, *, form_max_length: int | None = None, help_text: str = "", **kwargs):
        if form_max_length:
            limit = f"At most {form_max_length:,} characters, not counting spaces at either end."
            help_text = f"{help_text} {limit}".strip()
        super().__init__(trim_whitespace=False, help_text=help_text or None, **kwargs)

    def to_internal_value(self, data) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class ExactChoiceField(serializers.ChoiceField):
    """One of a form field's choices, as its own JSON type (5, not "5", 5.0 or true).

    Only the type is checked here; whether the value is allowed is the form's decision. The
    choices document the field in the schema."""

    default_error_messages = {"wrong_type": "Send one of the choices as {kind}, or null."}

    def to_internal_value(self, data):
        kind = type(next(iter(self.choices)))
        if type(data) is not kind:
            self.fail("wrong_type", kind="a whole number" if kind is int else "text")
        return data


class ExactChoiceSchema(OpenApiSerializerFieldExtension):
    """A scale whose choices are just its numbers (0 to 10) reads better as a range."""

    target_class = ExactChoiceField

    def map_serializer_field(self, auto_schema, direction) -> dict:
        choices = self.target.choices
        values = list(choices)
        if all(type(value) is int and choices[value] == str(value) for value in values):
            return {"type": "integer", "minimum": min(values), "maximum": max(values)}
        return auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)


def log_choice(name: str) -> ExactChoiceField:
    """The log form's field `name` as an optional API field with the same choices."""
    form_field = ENTRY_FIELDS[name]
    return ExactChoiceField(
        choices=[(value, label) for value, label in form_field.choices if value != ""],
        allow_null=True,
        required=False,
        help_text=form_field.help_text,
    )


class TruthField(serializers.BooleanField):
    """true, false or null; never "true", 1 or "yes"."""

    def to_internal_value(self, data) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


@extend_schema_field(
    {
        "type": "number",
        "minimum": SLEEP_HOURS.min_value,
        "maximum": SLEEP_HOURS.max_value,
        "multipleOf": float(SLEEP_HOURS.step_size),
    }
)
class HoursField(serializers.Field):
    """A JSON number of hours; the log form decides which numbers are allowed."""

    default_error_messages = {"invalid": "Enter a number of hours, such as 7 or 6.5."}

    def to_internal_value(self, data) -> int | float:
        if isinstance(data, bool) or not isinstance(data, int | float) or not math.isfinite(data):
            self.fail("invalid")
        return data

    def to_representation(self, value) -> float:
        return float(value)


def measure_field(name: str) -> serializers.Field:
    """The API field for one measure (tracker/measures.py): a number of hours, or one of the log
    form's choices."""
    if MEASURES[name].unit == "hours":
        return HoursField(allow_null=True, required=False, help_text=ENTRY_FIELDS[name].help_text)
    return log_choice(name)


class NamesField(serializers.ListField):
    """Catalogue items by name (or slug) in JSON; the serializer turns names into items."""

    def __init__(self, attribute: str = "name", **kwargs) -> None:
        self.attribute = attribute
        super().__init__(child=TextField(), required=False, **kwargs)

    def to_representation(self, manager) -> list[str]:
        return [getattr(item, self.attribute) for item in manager.all()]


class EntrySerializer(FormBackedSerializer):
    """One day's log. Every field may be null (or left out): null means "not logged"."""

    day = serializers.DateField(read_only=True)
    sexual_activity = log_choice("sexual_activity")
    intensity = log_choice("intensity")
    satisfaction = log_choice("satisfaction")
    discomfort = log_choice("discomfort")
    intimacy_barriers = NamesField(
        help_text="Names from the log form: "
        + ", ".join(f"“{name}”" for _, name in INTIMACY_BARRIERS)
        + " (their slugs, such as “low-desire”, work too)."
    )
    physical_affection = TruthField(allow_null=True, required=False)
    # Here, one field per measure: see get_fields.
    symptoms = NamesField(
        help_text="Names from GET /api/v1/symptoms/: the catalogue and your own. An unknown name "
        "is refused; add your own symptom there first."
    )
    notes = TextField(required=False, allow_blank=True, help_text=ENTRY_FIELDS["notes"].help_text)
    updated_at = serializers.DateTimeField(read_only=True)

    def get_fields(self) -> dict[str, serializers.Field]:
        """The declared fields, with a field for each measure after the intimacy answers: the
        intimate measures, then the health ones (the export's order)."""
        fields = {}
        for name, field in super().get_fields().items():
            fields[name] = field
            if name == "physical_affection":
                for measure in (*INTIMATE_MEASURES, *HEALTH_MEASURES):
                    fields[measure] = measure_field(measure)
        return fields

    def make_form(self, data: dict) -> DailyEntryForm:
        return DailyEntryForm(data, user=self.context["request"].user)

    def saved_values(self) -> dict:
        return DailyEntryForm.initial_from(self.instance) if self.instance else {}

    def validate_intimacy_barriers(self, names: list[str]) -> list[IntimacyBarrier]:
        if not names:
            return []
        known = {}
        for barrier in IntimacyBarrier.objects.all():
            known[barrier.slug] = known[barrier.name.casefold()] = barrier
        return look_up(names, known, "“{name}” is not one of the things that held you back.")

    def validate_symptoms(self, names: list[str]) -> list[Symptom]:
        if not names:
            return []
        user = self.context["request"].user
        known = {s.name.casefold(): s for s in Symptom.objects.available_to(user)}
        return look_up(
            names, known, "“{name}” is not one of your symptoms. Add it at /api/v1/symptoms/ first."
        )


class SymptomSerializer(FormBackedSerializer):
    """A symptom from the shared catalogue, or one of your own."""

    id = serializers.IntegerField(read_only=True)
    name = TextField(form_max_length=Symptom._meta.get_field("name").max_length)
    own = serializers.SerializerMethodField(help_text="False for the shared catalogue.")

    def make_form(self, data: dict) -> SymptomForm:
        return SymptomForm(data, owner=self.context["request"].user)

    def get_own(self, symptom: Symptom) -> bool:
        return symptom.owner_id is not None


class MedicationSerializer(FormBackedSerializer):
    """A medication you take or took, shown on your trends."""

    id = serializers.IntegerField(read_only=True)
    name = TextField(form_max_length=Medication._meta.get_field("name").max_length)
    dose = TextField(
        required=False,
        allow_blank=True,
        form_max_length=Medication._meta.get_field("dose").max_length,
    )
    started = serializers.DateField(help_text="Today or earlier.")
    stopped = serializers.DateField(
        required=False, allow_null=True, help_text="Leave empty (null) if you still take it."
    )
    note = TextField(required=False, allow_blank=True, form_max_length=MEDICATION_NOTE_MAX_LENGTH)

    def make_form(self, data: dict) -> MedicationForm:
        return MedicationForm(data, instance=self.instance, user=self.context["request"].user)

    def saved_values(self) -> dict:
        return model_to_dict(self.instance, fields=MedicationForm._meta.fields)


class ConditionSerializer(serializers.Serializer):
    """A condition from the catalogue."""

    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


class FilterDayField(serializers.Field):
    """A day in the query string, read as every other day is (tracker.days). Not required, so
    DRF skips an empty value: as on the pages, it counts as not given."""

    def to_internal_value(self, data: str) -> datetime.date:
        try:
            return read_day(data)
        except ValidationError as error:
            raise serializers.ValidationError(error.messages) from None

    def to_representation(self, value: datetime.date) -> str:
        return value.isoformat()


class EntryFilterSerializer(serializers.Serializer):
    start = FilterDayField(required=False)
    end = FilterDayField(required=False)
