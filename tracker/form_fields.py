"""The form fields and widgets Hearth's forms share: scales laid out as large radio segments,
notes counted as the browser counts them, hours with a decimal comma, and the message for text
over its limit."""

from django import forms
from django.core.validators import StepValueValidator

SKIP = ("", "Skip")
# static/js/character-count.js shows a live count in any control with this attribute.
COUNTED = {"data-character-count": True}


def too_long(what: str, limit: int) -> dict[str, str]:
    """The error message for text over its limit: it is refused, never cut."""
    return {
        "max_length": f"{what} can be up to {limit:,} characters; this has %(show_value)s. "
        "Shorten it and save again."
    }


class NotesField(forms.CharField):
    """Free text whose line breaks count once, as the browser's own length limit counts them
    (browsers send each line break as two characters, CR LF)."""

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n")


class ScaleRadios(forms.RadioSelect):
    """Radio buttons laid out as large segments; the blank choice ("Skip") comes last."""

    template_name = "forms/widgets/scale.html"

    def __init__(self, *args, columns: int = 6, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.columns = columns

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["columns"] = self.columns
        return context


def zero_to_ten(label: str, help_text: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=[(number, str(number)) for number in range(11)] + [SKIP],
        coerce=int,
        empty_value=None,
        required=False,
        widget=ScaleRadios(columns=6),
        error_messages={"invalid_choice": "Choose a number from 0 to 10, or Skip."},
    )


def worded_choice(label: str, choices, help_text: str = "", coerce=str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=[*choices, SKIP],
        coerce=coerce,
        empty_value=None,
        required=False,
        widget=ScaleRadios(columns=2),
        error_messages={"invalid_choice": "Choose one of the options shown, or Skip."},
    )


class StepValidatorForAnySize(StepValueValidator):
    """Django's step check works in floats and raises ValueError (a 500) on a number too large
    for one, such as 1E309; such a number is refused by the field's maximum anyway."""

    def compare(self, a, b) -> bool:
        try:
            return super().compare(a, b)
        except (ValueError, OverflowError):
            return False


class QuarterHoursField(forms.DecimalField):
    """Hours as people write them, with a decimal point or a decimal comma ("7,5")."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.validators = [
            StepValidatorForAnySize(v.limit_value, offset=v.offset)
            if type(v) is StepValueValidator
            else v
            for v in self.validators
        ]

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)
