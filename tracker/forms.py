"""The forms behind the pages. The API and the import fill the same forms (through form_data),
so every path accepts and refuses exactly what the pages do."""

import datetime
from decimal import Decimal

from django import forms
from django.db import models
from django.forms.models import model_to_dict
from rest_framework import serializers

from tracker.form_fields import (
    COUNTED,
    SKIP,
    NotesField,
    QuarterHoursField,
    ScaleRadios,
    too_long,
    worded_choice,
    zero_to_ten,
)
from tracker.measures import INTIMATE_MEASURES, MEASURES
from tracker.medications import MEDICATION_NOTE_MAX_LENGTH
from tracker.models import (
    ACTIVITY_KINDS,
    FIRST_DAY,
    NOTES_MAX_LENGTH,
    DailyEntry,
    Intensity,
    IntimacyBarrier,
    Libido,
    Medication,
    Satisfaction,
    SexualActivity,
    SleepQuality,
    Symptom,
)
from tracker.trends.periods import PeriodError, custom_period

ACTIVITY_DETAIL_FIELDS = ("intensity", "satisfaction", "discomfort")
SYMPTOM_NAME_MAX_LENGTH = Symptom._meta.get_field("name").max_length


class DailyEntryForm(forms.Form):
    """One day's log. Every field may be left empty: empty means "not logged"."""

    error_summary_title = "Nothing was saved yet"
    # The answers about intimacy: discreet mode keeps them behind "Show private answers".
    INTIMACY_FIELDS = frozenset(
        {
            "sexual_activity",
            "intensity",
            "satisfaction",
            "discomfort",
            "physical_affection",
            "intimacy_barriers",
            *INTIMATE_MEASURES,
        }
    )

    sexual_activity = worded_choice("Sexual activity", SexualActivity.choices)
    intensity = worded_choice(
        "How intense was it?", Intensity.choices, "Only if there was sexual activity."
    )
    satisfaction = worded_choice(
        "How satisfying was it?",
        Satisfaction.choices,
        "Only if there was sexual activity.",
        coerce=int,
    )
    discomfort = zero_to_ten(
        "Pain or discomfort during or after",
        "Only if there was sexual activity. 0 = none, 10 = worst you can imagine.",
    )
    physical_affection = forms.NullBooleanField(
        label="Physical affection",
        help_text="Cuddling, holding, touch without sex.",
        required=False,
        widget=ScaleRadios(choices=[("True", "Yes"), ("False", "No"), SKIP], columns=3),
    )
    libido = worded_choice(
        MEASURES["libido"].label, Libido.choices, MEASURES["libido"].help_text, coerce=int
    )
    intimacy_barriers = forms.ModelMultipleChoiceField(
        label="What held you back from intimacy today?",
        help_text="Tick any that apply, or none.",
        queryset=IntimacyBarrier.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    stress = zero_to_ten(MEASURES["stress"].label, MEASURES["stress"].help_text)
    sleep_hours = QuarterHoursField(
        label=MEASURES["sleep_hours"].label,
        help_text=MEASURES["sleep_hours"].help_text,
        min_value=MEASURES["sleep_hours"].lowest,
        max_value=MEASURES["sleep_hours"].highest,
        max_digits=4,
        decimal_places=2,
        step_size=Decimal("0.25"),
        required=False,
        # Text, not type="number": Chromium's number box reads "7,5" as 75.
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"step_size": "Use quarter hours, such as 7, 7.25, 7.5 or 7.75."},
    )
    sleep_quality = worded_choice(
        MEASURES["sleep_quality"].label,
        SleepQuality.choices,
        MEASURES["sleep_quality"].help_text,
        coerce=int,
    )
    fatigue = zero_to_ten(MEASURES["fatigue"].label, MEASURES["fatigue"].help_text)
    flare_severity = zero_to_ten(
        MEASURES["flare_severity"].label, MEASURES["flare_severity"].help_text
    )
    symptoms = forms.ModelMultipleChoiceField(
        label="Symptoms today",
        queryset=Symptom.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_symptom = forms.CharField(
        label="Add a symptom of your own",
        help_text="Optional. Only you will see it, and it will be ticked for today. "
        f"Up to {SYMPTOM_NAME_MAX_LENGTH} characters.",
        max_length=SYMPTOM_NAME_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs=COUNTED),
        error_messages=too_long("A symptom's name", SYMPTOM_NAME_MAX_LENGTH),
    )
    notes = NotesField(
        label="Notes",
        help_text=f"Anything else about today. Up to {NOTES_MAX_LENGTH:,} characters.",
        max_length=NOTES_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, **COUNTED}),
        error_messages=too_long("Notes", NOTES_MAX_LENGTH),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["symptoms"].queryset = Symptom.objects.available_to(user)

    @staticmethod
    def initial_from(entry: DailyEntry) -> dict:
        """Form values for a saved entry (used to edit it, or to copy it to another day)."""
        initial = model_to_dict(entry, exclude=["id", "user", "day"])
        initial["intimacy_barriers"] = list(entry.intimacy_barriers.all())
        initial["symptoms"] = list(entry.symptoms.all())
        return initial

    def describe(self, values: dict) -> dict[str, tuple[str, str]]:
        """Each answer as a person reads it, {name: (label, text)}: two versions of one day
        side by side, when it changed somewhere else while this form was open."""
        described = {}
        for name, field in self.fields.items():
            if name == "new_symptom":
                continue
            value = values.get(name)
            if isinstance(field, forms.ModelMultipleChoiceField):
                text = ", ".join(str(item) for item in value or []) or "None"
            elif isinstance(field, forms.ChoiceField):
                labels = {str(key): label for key, label in field.choices}
                text = labels.get("" if value is None else str(value), str(value))
            elif isinstance(value, Decimal):
                text = format(value.normalize(), "f")
            else:
                text = str(value) if value not in (None, "") else "Not logged"
            described[name] = (str(field.label), text)
        return described

    def clean_new_symptom(self) -> str:
        return symptom_name(self.cleaned_data["new_symptom"])

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("sexual_activity") not in ACTIVITY_KINDS:
            for name in ACTIVITY_DETAIL_FIELDS:
                if cleaned.get(name) is not None:
                    self.add_error(
                        name,
                        "This describes sexual activity. Choose solo or with a partner above, "
                        "or set this to Skip.",
                    )
        return cleaned

    def entry_values(self) -> dict:
        """Cleaned values in the shape DailyEntry.objects.save_day expects (which makes the
        new symptom, if one was typed, inside its transaction)."""
        values = dict(self.cleaned_data)
        values["notes"] = values["notes"] or ""
        return values


def symptom_name(value: str) -> str:
    """A symptom name with its spaces tidied; a semicolon would split it in two in the CSV
    export, where a day's symptoms are a ;-separated list."""
    name = " ".join(value.split())
    if ";" in name:
        raise forms.ValidationError("Leave out the semicolon (;): name one symptom at a time.")
    return name


class SymptomForm(forms.ModelForm):
    error_summary_title = "Nothing was saved yet"

    class Meta:
        model = Symptom
        fields = ["name"]
        labels = {"name": "Symptom name"}
        help_texts = {"name": f"Only you will see it. Up to {SYMPTOM_NAME_MAX_LENGTH} characters."}
        widgets = {"name": forms.TextInput(attrs=COUNTED)}
        error_messages = {"name": too_long("A symptom's name", SYMPTOM_NAME_MAX_LENGTH)}

    def __init__(self, *args, owner, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.owner = owner

    def clean_name(self) -> str:
        name = symptom_name(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError("Enter a name for the symptom.")
        if Symptom.objects.available_to(self.instance.owner).filter(name__iexact=name).exists():
            raise forms.ValidationError("This symptom is already in your list.")
        return name


class MedicationForm(forms.ModelForm):
    error_summary_title = "Nothing was saved yet"

    class Meta:
        model = Medication
        fields = ["name", "dose", "started", "stopped", "note"]
        labels = {"name": "Medication", "started": "Started on", "stopped": "Stopped on"}
        field_classes = {"note": NotesField}
        widgets = {
            "name": forms.TextInput(attrs=COUNTED),
            "dose": forms.TextInput(attrs=COUNTED),
            "started": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "stopped": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 2, **COUNTED}),
        }
        error_messages = {
            "name": too_long("A medication's name", Medication._meta.get_field("name").max_length),
            "dose": too_long("The dose", Medication._meta.get_field("dose").max_length),
            "note": too_long("The note", MEDICATION_NOTE_MAX_LENGTH),
        }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.user = user
        self.today = user.today()

    def clean_name(self) -> str:
        name = symptom_name(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError("Enter the medication's name.")
        return name

    def clean_started(self):
        started = self.cleaned_data["started"]
        if started > self.today:
            raise forms.ValidationError("Enter the day you started, today or earlier.")
        if started < FIRST_DAY:
            raise forms.ValidationError("Enter a day in 1900 or later.")
        return started

    def clean(self) -> dict:
        cleaned = super().clean()
        started, stopped = cleaned.get("started"), cleaned.get("stopped")
        if started and stopped and stopped < started:
            self.add_error("stopped", "The stop date can't be before the start date.")
        return cleaned


class ReportForm(forms.Form):
    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))
    include_notes = forms.BooleanField(label="Include my notes from flare days", required=False)
    include_intimacy = forms.BooleanField(
        label="Include intimacy details",
        help_text="Left out unless you tick this: it is yours to share.",
        required=False,
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = user.today()

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end"):
            try:
                cleaned["period"] = custom_period(
                    cleaned["start"].isoformat(), cleaned["end"].isoformat(), self.today
                )
            except PeriodError as error:
                field = "end" if cleaned["end"] < cleaned["start"] else "start"
                self.add_error(field, str(error))
        return cleaned


def form_data(values: dict) -> dict:
    """Values as a browser would post them: text, "" for empty, ids for catalogue items.

    The API and the import fill these forms from JSON through it, so they accept and refuse
    exactly what the pages do."""
    return {name: _posted(value) for name, value in values.items()}


def _posted(value):
    if isinstance(value, list | tuple):
        return [_posted(item) for item in value]
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)  # True -> "True", which NullBooleanField reads; 7.5 -> "7.5"


def look_up(names: list[str], known: dict, unknown_message: str) -> list:
    """The items named (ignoring case), or a ValidationError naming each unknown one.

    It is DRF's ValidationError because the API's serializers raise it as it is; the import
    reads its `detail`."""
    found, unknown = [], []
    for name in names:
        item = known.get(" ".join(name.split()).casefold())
        if item is None:
            unknown.append(unknown_message.format(name=name))
        elif item not in found:
            found.append(item)
    if unknown:
        raise serializers.ValidationError(unknown)
    return found
