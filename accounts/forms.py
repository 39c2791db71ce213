from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.urls import reverse
from django.utils.html import format_html

from accounts.models import Condition, User, time_zone_names


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in time_zone_names()]


class TimeZoneField(forms.ChoiceField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", "Time zone")
        kwargs.setdefault("help_text", "Your days start and end at midnight here.")
        super().__init__(choices=time_zone_choices, **kwargs)
        self.error_messages["invalid_choice"] = (
            "“%(value)s” is not a time zone we know. Pick one from the list, such as Europe/London."
        )


class SignupForm(AllauthSignupForm):
    time_zone = TimeZoneField(initial="UTC")
    consent = forms.BooleanField(
        required=True,
        error_messages={
            "required": "Hearth can only keep your log with your agreement. Tick the box to go on."
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["email", "password1", "password2", "time_zone", "consent"])
        self.fields["consent"].label = format_html(
            "I agree that Hearth stores my health and sexual-activity information, as described "
            'in the <a href="{}">privacy notice</a>.',
            reverse("privacy"),
        )
        if not self.is_bound:
            # Lets static/js/hearth.js pre-select the zone the browser reports.
            self.fields["time_zone"].widget.attrs["data-browser-time-zone"] = ""

    def save(self, request) -> User:
        user = super().save(request)
        user.time_zone = self.cleaned_data["time_zone"]
        user.record_consent()
        user.save(update_fields=["time_zone", "consent_given_at", "consent_version"])
        return user


class ProfileForm(forms.ModelForm):
    time_zone = TimeZoneField()

    class Meta:
        model = User
        fields = ["display_name", "time_zone", "conditions", "other_condition"]
        labels = {"conditions": "Conditions you live with"}
        widgets = {"conditions": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["conditions"].queryset = Condition.objects.all()

    def clean(self) -> dict:
        cleaned = super().clean()
        other_ticked = any(c.slug == "other" for c in cleaned.get("conditions") or [])
        if cleaned.get("other_condition") and not other_ticked:
            self.add_error("other_condition", "Tick “Other” above, or leave this empty.")
        return cleaned
