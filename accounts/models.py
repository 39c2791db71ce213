import datetime
import zoneinfo
from functools import cache

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from knox.models import AbstractAuthToken

from accounts.schedule import next_occurrence

# Bump when the privacy page's promises change; each person's consent records the version they saw.
PRIVACY_VERSION = "2026-12-02"


@cache
def time_zone_names() -> list[str]:
    """Every IANA time zone name this machine knows, sorted for a select list."""
    return sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(
            "“%(value)s” is not a time zone we know. "
            "Pick one from the list, such as Europe/London.",
            params={"value": value},
        )


IDLE_TIMEOUT_CHOICES = [
    (15, "15 minutes"),
    (60, "1 hour"),
    (240, "4 hours"),
    (720, "12 hours"),
    (1440, "1 day"),
    (10080, "1 week"),
    (20160, "2 weeks"),
]
DEFAULT_IDLE_TIMEOUT_MINUTES = 720

WEEKDAY_CHOICES = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]
# reminder_days keeps the chosen weekdays as bits: Monday is 1, Tuesday 2, ... Sunday 64.
EVERY_WEEKDAY = 0b1111111
HOUR_CHOICES = [(hour, f"{hour:02d}:00") for hour in range(24)]
# What the next due moments are computed from: saving any of them moves those moments.
REMINDER_SCHEDULE_FIELDS = {
    "time_zone",
    "reminder_time",
    "reminder_days",
    "reminder_email",
    "reminder_push",
    "weekly_day",
    "weekly_hour",
}


def _looking_from(due: datetime.datetime | None, now: datetime.datetime) -> datetime.datetime:
    """Just before `due` if it has come and its job has not moved it on yet, else `now`: the
    next due moment is the first one after this (sending.py writes a Delivery row per day, so
    a moment given again after its job ran is never sent twice)."""
    if due is not None and due <= now:
        return due - datetime.timedelta(microseconds=1)
    return now


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email: str) -> "User":
        return self.get(email__iexact=email)

    def mark_records_changed(self, user_id: int) -> None:
        """Mark every cached summary of this person's records as stale."""
        self.filter(pk=user_id).update(data_version=models.F("data_version") + 1)


class CatalogueEntry(models.Model):
    """One entry of a shared catalogue loaded by a data migration (conditions, intimacy barriers):
    a stable slug for code and files, the name people read, and its place in the list."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Condition(CatalogueEntry):
    """An autoimmune condition a person may say they live with."""


class User(AbstractUser):
    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(
        max_length=80, blank=True, help_text="Optional. How Hearth greets you."
    )
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text="Your days start and end at midnight in this time zone.",
    )
    conditions = models.ManyToManyField(
        Condition, blank=True, related_name="people", help_text="Tick any that apply."
    )
    other_condition = models.CharField(
        "other condition",
        max_length=120,
        blank=True,
        help_text="If you ticked “Other”, name it here.",
    )
    consent_given_at = models.DateTimeField(
        null=True, help_text="When the person agreed to Hearth storing their health data."
    )
    consent_version = models.CharField(
        max_length=20, blank=True, help_text="Version of the privacy text they agreed to."
    )
    idle_timeout_minutes = models.PositiveIntegerField(
        "sign-in again after",
        choices=IDLE_TIMEOUT_CHOICES,
        default=DEFAULT_IDLE_TIMEOUT_MINUTES,
        help_text="After this long without using Hearth, pages with your health data ask for "
        "your password or passkey again. Shorter is safer on a shared device.",
    )
    discreet_mode = models.BooleanField(
        "discreet mode",
        default=False,
        help_text="Hide intimacy answers and chart markers until you choose to show them on "
        "that page, for when someone may see your screen.",
    )
    data_version = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Goes up on every change to the person's records, so cached summaries of "
        "them know they are stale.",
    )
    reminder_time = models.TimeField(
        "remind me at",
        null=True,
        blank=True,
        help_text="If you haven't logged that day by then, in your time zone, e.g. 20:30. "
        "Leave empty for no reminders.",
    )
    reminder_days = models.PositiveSmallIntegerField(
        "on these days", default=EVERY_WEEKDAY, help_text="No reminder on the days left unticked."
    )
    reminder_email = models.BooleanField(
        "by email",
        default=True,
        help_text="It says only that it's time to check in: never what you logged.",
    )
    reminder_push = models.BooleanField(
        "as a notification on my phones",
        default=False,
        help_text="On each phone or browser where you chose “Remind me on this phone”. It says "
        "only that it's time to check in.",
    )
    reminder_due_at = models.DateTimeField(
        null=True, editable=False, help_text="When the next reminder is due, in UTC."
    )
    reminders_unanswered = models.PositiveSmallIntegerField(
        default=0, editable=False, help_text="Reminders sent in a row without a visit since."
    )
    reminders_paused = models.BooleanField(
        default=False, editable=False, help_text="Paused after too many unanswered reminders."
    )
    reminder_data_version = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="data_version when the last reminder went: if it moved, the person came back.",
    )
    weekly_day = models.PositiveSmallIntegerField(
        "weekly look back on",
        null=True,
        blank=True,
        choices=WEEKDAY_CHOICES,
        help_text="An email saying your week is ready to look back on. Empty: none.",
    )
    weekly_hour = models.PositiveSmallIntegerField(
        "at", choices=HOUR_CHOICES, default=18, help_text="In your time zone."
    )
    weekly_include_numbers = models.BooleanField(
        "include my numbers in the email",
        default=False,
        help_text="Email is not private: anyone who sees your inbox, a lock screen or a shared "
        "mailbox would read them. Without this, the email only links to the page.",
    )
    weekly_due_at = models.DateTimeField(
        null=True, editable=False, help_text="When the next weekly look back is due, in UTC."
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_ignoring_case",
                violation_error_message="An account with this email address already exists.",
            ),
            models.CheckConstraint(
                condition=models.Q(idle_timeout_minutes__gte=15, idle_timeout_minutes__lte=20160),
                name="user_idle_timeout_15_minutes_to_2_weeks",
            ),
            models.CheckConstraint(
                condition=models.Q(reminder_days__lte=EVERY_WEEKDAY),
                name="user_reminder_days_are_weekdays",
            ),
            models.CheckConstraint(
                condition=models.Q(weekly_day__lte=6), name="user_weekly_day_is_a_weekday"
            ),
            models.CheckConstraint(
                condition=models.Q(weekly_hour__lte=23), name="user_weekly_hour_0_23"
            ),
        ]
        # The due-finder reads these every minute: only people with something due are in them.
        indexes = [
            models.Index(
                fields=["reminder_due_at"],
                condition=models.Q(reminder_due_at__isnull=False),
                name="user_reminder_due",
            ),
            models.Index(
                fields=["weekly_due_at"],
                condition=models.Q(weekly_due_at__isnull=False),
                name="user_weekly_due",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs) -> None:
        self.email = self.email.lower()
        update_fields = kwargs.get("update_fields")
        # Whichever path changes the time zone or a reminder setting (profile, sign-up, API,
        # import, admin), the next due moments move with it.
        if update_fields is None or REMINDER_SCHEDULE_FIELDS & set(update_fields):
            self.schedule_reminders(timezone.now())
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "reminder_due_at", "weekly_due_at"}
        # set_password keeps the new password until the save: whatever set it (a change, a
        # reset, the command line), whoever knew the old one may have made a token with it.
        new_password = self._password is not None and not self._state.adding
        super().save(*args, **kwargs)
        if new_password:
            from accounts.tokens import revoke_all_tokens  # it imports User from here

            revoke_all_tokens(self)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def today(self) -> datetime.date:
        """The person's own calendar day right now: the one place 'today' is decided."""
        return timezone.localtime(timezone.now(), self.zone).date()

    @property
    def reminder_weekdays(self) -> frozenset[int]:
        return frozenset(day for day in range(7) if self.reminder_days & (1 << day))

    def next_reminder_due(self, after: datetime.datetime) -> datetime.datetime | None:
        """The first instant after `after` when a check-in reminder is due, or None if they
        are off, paused or have no channel."""
        if self.reminder_time is None or self.reminders_paused:
            return None
        if not (self.reminder_email or self.reminder_push):
            return None
        return next_occurrence(after, self.reminder_time, self.zone, self.reminder_weekdays)

    def next_weekly_due(self, after: datetime.datetime) -> datetime.datetime | None:
        """The first instant after `after` when the weekly look back is due, or None."""
        if self.weekly_day is None:
            return None
        at = datetime.time(self.weekly_hour)
        return next_occurrence(after, at, self.zone, frozenset({self.weekly_day}))

    def schedule_reminders(self, now: datetime.datetime) -> None:
        """Set the next due moments from the settings as they are now (not saved here). A moment
        already due whose job has not run yet (beat looks once a minute) stays due while the
        settings still give it: a save in that minute must not skip it to the next day or week."""
        self.reminder_due_at = self.next_reminder_due(_looking_from(self.reminder_due_at, now))
        self.weekly_due_at = self.next_weekly_due(_looking_from(self.weekly_due_at, now))

    def resume_reminders(self) -> None:
        """Start paused reminders again, counting unanswered ones afresh."""
        self.reminders_paused = False
        self.reminders_unanswered = 0
        self.reminder_due_at = self.next_reminder_due(timezone.now())
        self.save(update_fields=["reminders_paused", "reminders_unanswered", "reminder_due_at"])

    def record_consent(self) -> None:
        self.consent_given_at = timezone.now()
        self.consent_version = PRIVACY_VERSION

    @property
    def greeting_name(self) -> str:
        return self.display_name or self.email.split("@")[0]

    def sign_out_everywhere(self) -> None:
        """End every session of the person and revoke their API tokens, as their own "sign out
        everywhere" does: a token would otherwise outlive the sessions."""
        # Both modules import User from here, so they are imported when called, not at the top.
        from accounts.sessions import end_sessions
        from accounts.tokens import revoke_all_tokens

        end_sessions(self)
        revoke_all_tokens(self)

    def suspend(self, reason: str, by: "User") -> "ModerationAction":
        """Stop the person signing in, end their sessions and revoke their API tokens at once;
        the moderator `by` gives the reason, which goes in the moderation log."""
        with transaction.atomic():
            self.is_active = False
            self.save(update_fields=["is_active"])
            self.sign_out_everywhere()
            return ModerationAction.record(by, self, ModerationAction.Action.SUSPEND, reason)

    def reactivate(self, reason: str, by: "User") -> "ModerationAction":
        """Let a suspended person sign in again, with the moderator's reason in the log."""
        with transaction.atomic():
            self.is_active = True
            self.save(update_fields=["is_active"])
            return ModerationAction.record(by, self, ModerationAction.Action.REACTIVATE, reason)


class ApiToken(AbstractAuthToken):
    """A personal access token for the API (django-rest-knox's token with a name and last use).

    Only a hash of the secret is stored (`digest`); the secret is shown once, when it is made.
    """

    name = models.CharField(max_length=60, help_text="So you can tell your tokens apart.")
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return self.name


class ModerationAction(models.Model):
    """One line of the moderation log: who did what to which account, when and why.

    Append-only: the admin grants no add, change or delete permission on it, to anyone. The
    target's email and id are copied so the line still says who it was about after deletion.
    """

    class Action(models.TextChoices):
        SUSPEND = "suspend", "Suspend"
        REACTIVATE = "reactivate", "Reactivate"
        END_SESSIONS = "end_sessions", "End all sessions"
        SEND_PASSWORD_RESET = "send_password_reset", "Send password-reset email"
        CLEAR_LOCKOUT = "clear_lockout", "Clear sign-in lockout"
        DELETE_ACCOUNT = "delete_account", "Delete account"

    moderator = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="moderation_actions_taken"
    )
    target = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="moderation_actions"
    )
    target_email = models.EmailField("account email", help_text="Kept after the account goes.")
    target_id_at_time = models.PositiveIntegerField("account id")
    action = models.CharField(max_length=32, choices=Action.choices)
    reason = models.TextField(help_text="Why, in a sentence a colleague can follow.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="moderation_reason_given"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.target_email}"

    @classmethod
    def record(cls, moderator: User, target: User, action: str, reason: str) -> "ModerationAction":
        """Write one line of the log about `target`, who may be deleted right after."""
        return cls.objects.create(
            moderator=moderator,
            target=target,
            target_email=target.email,
            target_id_at_time=target.pk,
            action=action,
            reason=reason,
        )


class SecurityEvent(models.Model):
    """One line of a person's security activity page: what happened to their account, when,
    and on roughly which device. Never health data, never an address or a full user agent."""

    class Kind(models.TextChoices):
        LOGIN = "login", "Signed in"
        LOGIN_FAILED = "login_failed", "Failed sign-in attempt"
        LOGOUT = "logout", "Signed out"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        PASSWORD_RESET = "password_reset", "Password reset by email"
        EMAIL_CHANGED = "email_changed", "Email address changed"
        MFA_ENABLED = "mfa_enabled", "Two-factor method added"
        MFA_DISABLED = "mfa_disabled", "Two-factor method removed"
        RECOVERY_CODES_REGENERATED = "recovery_codes", "New recovery codes made"
        SESSIONS_ENDED = "sessions_ended", "Other sessions ended"
        EXPORT = "export", "Data exported"
        IMPORT = "import", "Data imported"
        TOKEN_CREATED = "token_created", "API token created"
        TOKEN_REVOKED = "token_revoked", "API token revoked"
        SHARE_LINK_CREATED = "share_link_created", "Share link made"
        SHARE_LINK_REVOKED = "share_link_revoked", "Share link revoked"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="security_events")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    device = models.CharField(
        max_length=80, blank=True, help_text="Browser and system, coarse: “Firefox on Android”."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="security_event_user_time")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.created_at:%Y-%m-%d %H:%M}"


class PushSubscription(models.Model):
    """One phone or browser where the person chose "Remind me on this phone": the address its
    push service gave it and the keys that encrypt each message to it (RFC 8291), so the push
    service carries only ciphertext. The endpoint is a secret address: never logged whole."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=100, help_text="The browser's public key, base64url.")
    auth = models.CharField(max_length=50, help_text="The browser's auth secret, base64url.")
    device = models.CharField(max_length=60, help_text="Such as “Firefox on Android”.")
    session_key = models.CharField(
        max_length=40, blank=True, help_text="The sign-in it was made in: signing out removes it."
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.device}, added {self.created_at:%Y-%m-%d}"

    def as_subscription_info(self) -> dict:
        """The shape pywebpush (and the browser's PushSubscription.toJSON()) uses."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}
