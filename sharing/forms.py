import datetime

from django import forms

from sharing.models import EXPIRY_DAYS, SECTIONS, ShareLink
from tracker.trends.periods import RANGE_LABELS, PeriodError, resolve_period

CUSTOM = "custom"
DEFAULT_EXPIRY_DAYS = 30
PERIOD_CHOICES = [
    *((key, f"The last {label}" if key != "all" else label) for key, label in RANGE_LABELS.items()),
    (CUSTOM, "These dates"),
]
NOTES_WARNING = (
    "Off unless you tick it. Your notes may name people, places and feelings: whoever has the "
    "link reads them."
)
INTIMACY_WARNING = (
    "Off unless you tick it. Sexual activity, desire, what held intimacy back and sexual-health "
    "symptoms: whoever has the link sees them."
)


class ShareLinkForm(forms.ModelForm):
    """What a new share link shows, for how long, and whether it needs a passcode. The period
    is resolved like the trends page's (tracker.trends.periods) and fixed when the link is
    made, so days logged later never appear on it."""

    error_summary_title = "No link was made"
    period = forms.ChoiceField(
        label="Which days",
        choices=PERIOD_CHOICES,
        initial="90d",
        widget=forms.RadioSelect,
    )
    start = forms.DateField(
        label="From",
        required=False,
        help_text="Only for “These dates”.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label="To",
        required=False,
        help_text="Only for “These dates”.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    expires = forms.TypedChoiceField(
        label="Stops working",
        choices=[(days, f"In {days} day{'s' if days > 1 else ''}") for days in EXPIRY_DAYS],
        coerce=int,
        initial=DEFAULT_EXPIRY_DAYS,
        empty_value=DEFAULT_EXPIRY_DAYS,
        required=False,
    )
    passcode = forms.CharField(
        label="Passcode (optional)",
        help_text="A short word you tell your clinician yourself; the link then asks for it. "
        "Hearth keeps only a fingerprint of it.",
        max_length=40,
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    class Meta:
        model = ShareLink
        fields = ["label", *SECTIONS]
        labels = {"label": "Label (optional)"}
        help_texts = {
            "label": "Only you see it, e.g. “Dr Okafor, March”.",
            "show_notes": NOTES_WARNING,
            "show_intimacy": INTIMACY_WARNING,
        }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict:
        cleaned = super().clean()
        if not any(cleaned.get(name) for name in SECTIONS):
            self.add_error(None, "Tick at least one thing for the link to show.")
        choice = cleaned.get("period")
        if choice == CUSTOM:
            start, end = cleaned.get("start"), cleaned.get("end")
            if not start:
                self.add_error("start", "Give the first day to share.")
            if not end:
                self.add_error("end", "Give the last day to share.")
            if start and end:
                self._resolve({"start": start.isoformat(), "end": end.isoformat()}, "start")
        elif choice:
            self._resolve({"range": choice}, "period")
        return cleaned

    def _resolve(self, params: dict, field: str) -> None:
        try:
            self.cleaned_data["resolved_period"] = resolve_period(params, self.user)
        except PeriodError as error:
            self.add_error(field, str(error))

    def expires_in(self) -> datetime.timedelta:
        return datetime.timedelta(days=self.cleaned_data["expires"])

    def create_link(self) -> tuple[ShareLink, str]:
        period = self.cleaned_data["resolved_period"]
        return ShareLink.objects.create_for(
            self.user,
            start=period.start,
            end=period.end,
            expires_in=self.expires_in(),
            passcode=self.cleaned_data["passcode"],
            label=" ".join(self.cleaned_data["label"].split()),
            **{name: self.cleaned_data[name] for name in SECTIONS},
        )


class PasscodeForm(forms.Form):
    error_summary_title = "The page did not open"
    passcode = forms.CharField(
        label="Passcode",
        help_text="The person who shared this page told you it.",
        max_length=40,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
