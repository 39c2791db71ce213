import copy

from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.mfa.webauthn.forms import AddWebAuthnForm
from django import forms
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html

from accounts import push
from accounts.models import WEEKDAY_CHOICES, Condition, User, time_zone_names


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


class WeekdaysField(forms.TypedMultipleChoiceField):
    """Weekdays ticked in a list of boxes, kept as User.reminder_days' bits (Monday = 1)."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs) -> None:
        for integer_only in ("max_value", "min_value", "step_size", "required"):
            kwargs.pop(integer_only, None)
        super().__init__(choices=WEEKDAY_CHOICES, coerce=int, required=False, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            return [day for day, _ in WEEKDAY_CHOICES if value & (1 << day)]
        return value

    def clean(self, value) -> int:
        return sum(1 << day for day in set(super().clean(value)))

    def has_changed(self, initial, data) -> bool:
        try:
            return self.clean(data) != initial
        except forms.ValidationError:
            return True


class ReminderForm(forms.ModelForm):
    """The check-in reminder and the weekly look back, on the profile page and, for the daily
    reminder, at the end of sign-up. Everything here is off until the person picks a time."""

    class Meta:
        model = User
        fields = [
            "reminder_time",
            "reminder_days",
            "reminder_email",
            "reminder_push",
            "weekly_day",
            "weekly_hour",
            "weekly_include_numbers",
        ]
        field_classes = {"reminder_days": WeekdaysField}
        widgets = {"reminder_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}
        error_messages = {
            "reminder_time": {"invalid": "Enter a time such as 20:30, or leave it empty."},
            "weekly_day": {"invalid_choice": "Pick a day of the week from the list."},
            "weekly_hour": {"invalid_choice": "Pick an hour from the list."},
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["weekly_day"].choices = [("", "No weekly look back"), *WEEKDAY_CHOICES]
        # A browser always sends the hour; a script that leaves it out keeps the current one.
        self.fields["weekly_hour"].required = False
        # The key static/js/push.js subscribes this device with; empty: push is not offered.
        self.push_key = settings.WEBPUSH_VAPID_PUBLIC_KEY if push.is_offered() else ""
        if not self.push_key:
            del self.fields["reminder_push"]

    def clean_weekly_hour(self) -> int:
        hour = self.cleaned_data["weekly_hour"]
        return self.instance.weekly_hour if hour in (None, "") else hour

    def clean(self) -> dict:
        cleaned = super().clean()
        check_reminder_choices(self, cleaned)
        only_push = cleaned.get("reminder_push") and not cleaned.get("reminder_email")
        devices = self.instance.push_subscriptions
        if cleaned.get("reminder_time") and only_push and not devices.exists():
            self.add_error(
                "reminder_push",
                "No phone is set up for notifications yet: choose “Remind me on this phone” on "
                "it first, or tick “by email”.",
            )
        return cleaned

    def save(self, commit: bool = True) -> User:
        # Changing the reminder means the person is here: a paused one starts again. Saving
        # reschedules it (User.save), from the settings as they are now.
        reminder = {"reminder_time", "reminder_days", "reminder_email", "reminder_push"}
        if reminder & set(self.changed_data):
            self.instance.reminders_paused = False
            self.instance.reminders_unanswered = 0
        return super().save(commit)


def check_reminder_choices(form: forms.Form, cleaned: dict) -> None:
    """A reminder time needs a day and a way to arrive, or it would silently never come."""
    if cleaned.get("reminder_time") is None:
        return
    if not cleaned.get("reminder_days"):
        form.add_error("reminder_days", "Tick at least one day, or leave the time empty.")
    if "reminder_push" in form.fields:
        if not cleaned.get("reminder_email") and not cleaned.get("reminder_push"):
            form.add_error(
                "reminder_email",
                "Tick “by email” or “as a notification on my phones”, or leave the time empty.",
            )
    elif not cleaned.get("reminder_email"):
        form.add_error("reminder_email", "Tick “by email”, or leave the time empty.")


SIGNUP_REMINDER_FIELDS = ["reminder_time", "reminder_days", "reminder_email"]


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
        for name in SIGNUP_REMINDER_FIELDS:
            self.fields[name] = copy.deepcopy(ReminderForm.base_fields[name])
            self.fields[name].initial = User._meta.get_field(name).get_default()
        self.fields["reminder_time"].label = "Remind me to check in at (optional)"
        self.order_fields(
            ["email", "password1", "password2", "time_zone", "consent", *SIGNUP_REMINDER_FIELDS]
        )
        self.fields["consent"].label = format_html(
            "I agree that Hearth stores my health and sexual-activity information, as described "
            'in the <a href="{}">privacy notice</a>.',
            reverse("privacy"),
        )
        if not self.is_bound:
            # Lets static/js/hearth.js pre-select the zone the browser reports.
            self.fields["time_zone"].widget.attrs["data-browser-time-zone"] = ""

    def clean(self) -> dict:
        cleaned = super().clean()
        check_reminder_choices(self, cleaned)
        return cleaned

    def try_save(self, request: HttpRequest) -> tuple[User | None, HttpResponse | None]:
        if self.account_already_exists:
            # allauth then makes no account and mails the owner. Hashing the password is most
            # of what making an account costs: doing it anyway keeps this answer from arriving
            # measurably sooner than a new person's.
            make_password(self.cleaned_data["password1"])
        return super().try_save(request)

    def save(self, request) -> User:
        user = super().save(request)
        user.time_zone = self.cleaned_data["time_zone"]
        if self.cleaned_data["reminder_time"] is not None:  # otherwise the defaults stay
            for name in SIGNUP_REMINDER_FIELDS:
                setattr(user, name, self.cleaned_data[name])
        user.record_consent()
        user.save(
            update_fields=[
                "time_zone",
                "consent_given_at",
                "consent_version",
                *SIGNUP_REMINDER_FIELDS,
            ]
        )
        return user


class ProfileForm(forms.ModelForm):
    error_summary_title = "Nothing was saved yet"
    time_zone = TimeZoneField()

    class Meta:
        model = User
        fields = [
            "display_name",
            "time_zone",
            "conditions",
            "other_condition",
            "idle_timeout_minutes",
            "discreet_mode",
        ]
        labels = {"conditions": "Conditions you live with"}
        widgets = {"conditions": forms.CheckboxSelectMultiple}
        error_messages = {
            "idle_timeout_minutes": {
                "invalid_choice": "Choose one of the times in the list, from 15 minutes to 2 weeks."
            }
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["conditions"].queryset = Condition.objects.all()
        # A browser always sends the list's choice; a script that leaves it out keeps the
        # person's current setting rather than being refused.
        self.fields["idle_timeout_minutes"].required = False

    def clean_idle_timeout_minutes(self) -> int:
        return self.cleaned_data["idle_timeout_minutes"] or self.instance.idle_timeout_minutes

    def clean(self) -> dict:
        cleaned = super().clean()
        other_ticked = any(c.slug == "other" for c in cleaned.get("conditions") or [])
        if cleaned.get("other_condition") and not other_ticked:
            self.add_error("other_condition", "Tick “Other” above, or leave this empty.")
        return cleaned


class AddPasskeyForm(AddWebAuthnForm):
    """allauth's form for adding a passkey, in Hearth's words and passwordless by default."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].label = "Name this passkey"
        self.fields["name"].help_text = "So you can tell your devices apart, e.g. “My phone”."
        self.fields["passwordless"].label = "Sign in with this passkey, without a password"
        self.fields[
            "passwordless"
        ].help_text = "Your device will ask for your fingerprint, face or screen lock each time."
        self.fields["passwordless"].initial = True
