"""A person's daily log and the catalogues it draws on.

Every measure is optional: NULL means "not logged", never zero. Every model of the tracker app
is importable from here: the symptoms and the medications live in modules of their own
(tracker/symptoms.py, tracker/medications.py).
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Q, Value
from django.urls import reverse

from accounts.models import CatalogueEntry
from config.encryption import EncryptedTextField
from tracker.days import FIRST_DAY
from tracker.measures import MEASURES
from tracker.medications import Medication as Medication  # imported from here, like every model
from tracker.symptoms import Symptom

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
NOTES_MAX_LENGTH = 2000
SLEEP_HOURS_CHOICES = [
    Decimal(quarter) / 4 for quarter in range(MEASURES["sleep_hours"].highest * 4 + 1)
]


class SexualActivity(models.TextChoices):
    NONE = "none", "None"
    SOLO = "solo", "Solo"
    PARTNERED = "partnered", "With a partner"
    BOTH = "both", "Solo and with a partner"


ACTIVITY_KINDS = [SexualActivity.SOLO, SexualActivity.PARTNERED, SexualActivity.BOTH]


class Intensity(models.TextChoices):
    GENTLE = "gentle", "Gentle"
    MODERATE = "moderate", "Moderate"
    VIGOROUS = "vigorous", "Vigorous"


class Satisfaction(models.IntegerChoices):
    VERY_UNSATISFYING = 1, "Very unsatisfying"
    UNSATISFYING = 2, "Unsatisfying"
    NEUTRAL = 3, "Neither"
    SATISFYING = 4, "Satisfying"
    VERY_SATISFYING = 5, "Very satisfying"


class Libido(models.IntegerChoices):
    VERY_LOW = 1, "Very low"
    LOW = 2, "Low"
    MEDIUM = 3, "Medium"
    HIGH = 4, "High"
    VERY_HIGH = 5, "Very high"


class SleepQuality(models.IntegerChoices):
    VERY_POOR = 1, "Very poor"
    POOR = 2, "Poor"
    FAIR = 3, "Fair"
    GOOD = 4, "Good"
    VERY_GOOD = 5, "Very good"


class IntimacyBarrier(CatalogueEntry):
    """Something that held a person back from intimacy on a day. Every barrier is intimate by
    nature, so discreet mode hides them all with the intimacy answers."""


class DailyEntryQuerySet(models.QuerySet):
    def for_user(self, user) -> "DailyEntryQuerySet":
        return self.filter(user=user)

    def between(self, start: datetime.date, end: datetime.date) -> "DailyEntryQuerySet":
        """Entries from start to end, both included."""
        return self.filter(day__gte=start, day__lte=end)

    def before(self, day: datetime.date) -> "DailyEntryQuerySet":
        return self.filter(day__lt=day)


class StaleEntry(Exception):
    """The day changed (or appeared, or went) after the person last read it."""

    def __init__(self, current: "DailyEntry | None") -> None:
        super().__init__("The day changed since it was read.")
        self.current = current


class EmptyDay(ValueError):
    """A day with no answer at all: saved, it would count as logged and skew "days logged"."""

    def __init__(self) -> None:
        super().__init__(
            "Nothing was filled in, so there is nothing to save. Answer at least one question; "
            "to remove a day you logged, delete it instead."
        )


def has_an_answer(values: dict) -> bool:
    """Whether any value is an answer: 0 and No are answers; None, "" and no ticks are not."""
    for value in values.values():
        if isinstance(value, list | tuple | models.QuerySet):
            if len(value):
                return True
        elif value not in (None, ""):
            return True
    return False


def version_of(entry: "DailyEntry | None") -> str:
    """The version a reader saw: the entry's, or "" for a day with nothing logged."""
    return entry.version if entry is not None else ""


class DailyEntryManager(models.Manager.from_queryset(DailyEntryQuerySet)):
    @transaction.atomic
    def save_day(
        self, user, day: datetime.date, values: dict, expected_version: str | None = None
    ) -> tuple["DailyEntry", bool]:
        """Create or replace one person's entry for one day; the entry, and whether it is new.

        Safe under concurrent saves of the same day: the row is locked until the transaction
        ends, and if two requests race to create it, the loser's insert fails on the unique
        constraint and it updates the winner's row instead, so there is never a duplicate and
        never a 500. The person's data_version moves once, however many parts of the day change.

        With expected_version (what the writer last read, see version_of), the save only goes
        ahead if the day is still as they saw it; otherwise StaleEntry, and nothing changes.

        values may name a "new_symptom" to tick, made the person's own if it is new: it is made
        here, so a refused save makes nothing. A day with no answer at all raises EmptyDay.
        """
        values = dict(values)
        new_symptom = values.pop("new_symptom", "")
        if not has_an_answer({**values, "new_symptom": new_symptom}):
            raise EmptyDay()
        many = {name: values[name] for name in DailyEntry.MANY_TO_MANY_FIELDS if name in values}
        scalars = {name: value for name, value in values.items() if name not in many}
        entry = self.select_for_update().filter(user=user, day=day).first()
        if expected_version is not None and version_of(entry) != expected_version:
            raise StaleEntry(entry)
        if new_symptom:
            symptom = Symptom.objects.named_or_new(user, new_symptom)
            many["symptoms"] = [*many.get("symptoms", []), symptom]
        if entry is None:
            entry, created = self._create_day(user, day, scalars, expected_version)
        else:
            created = False
            for name, value in scalars.items():
                setattr(entry, name, value)
            entry.save(update_fields=[*scalars, "updated_at"])
        # The entry's save marked the person's records changed (tracker/signals.py); the ticks,
        # written as link rows, send no signal of their own, so a save is one mark.
        entry.replace_ticks(many, new=created)
        return entry, created

    def _create_day(
        self, user, day: datetime.date, scalars: dict, expected_version: str | None
    ) -> tuple["DailyEntry", bool]:
        """The new row of a day nobody had logged, and whether this save made it. Two saves
        racing to create it both find no row to lock; the loser's insert fails on the unique
        constraint and it writes over the winner's row, now locked, unless it was told which
        version to expect."""
        try:
            with transaction.atomic():
                return self.create(user=user, day=day, **scalars), True
        except IntegrityError:
            winner = self.select_for_update().filter(user=user, day=day).first()
            if winner is None:
                raise  # a constraint of the row itself, not the race
            if expected_version is not None:
                raise StaleEntry(winner) from None
            for name, value in scalars.items():
                setattr(winner, name, value)
            winner.save(update_fields=[*scalars, "updated_at"])
            return winner, False

    @transaction.atomic
    def delete_day(self, user, day: datetime.date, expected_version: str | None = None) -> bool:
        """Delete one person's entry for one day; False when there was none."""
        if expected_version is not None:
            current = self.select_for_update().filter(user=user, day=day).first()
            if version_of(current) != expected_version:
                raise StaleEntry(current)
        deleted, _ = self.filter(user=user, day=day).delete()
        return bool(deleted)


class DailyEntry(models.Model):
    MANY_TO_MANY_FIELDS = ("intimacy_barriers", "symptoms")

    # No index of its own: the (user, day) unique constraint's index serves every lookup by
    # person, in day order, so reads of a person's days need no sort.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="entries", db_index=False
    )
    day = models.DateField(help_text="The person's own calendar day.")

    sexual_activity = models.CharField(
        "sexual activity", max_length=12, choices=SexualActivity, null=True, blank=True
    )
    intensity = models.CharField(max_length=10, choices=Intensity, null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(choices=Satisfaction, null=True, blank=True)
    discomfort = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(10)],
        help_text="Pain or discomfort during or after. 0 = none, 10 = worst you can imagine.",
    )
    intimacy_barriers = models.ManyToManyField(
        IntimacyBarrier,
        blank=True,
        related_name="entries",
        verbose_name="what held you back",
        through="EntryIntimacyBarrier",
    )
    physical_affection = models.BooleanField(
        "physical affection",
        null=True,
        blank=True,
        help_text="Cuddling, holding, touch without sex.",
    )
    libido = models.PositiveSmallIntegerField("desire", choices=Libido, null=True, blank=True)
    fatigue = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(MEASURES["fatigue"].highest)],
        help_text="0 = full of energy, 10 = completely exhausted.",
    )
    stress = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(MEASURES["stress"].highest)],
        help_text="0 = none, 10 = worst you can imagine.",
    )
    sleep_hours = models.DecimalField(
        "hours slept",
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(MEASURES["sleep_hours"].lowest),
            MaxValueValidator(MEASURES["sleep_hours"].highest),
        ],
        help_text="The night that ended this morning, to the nearest quarter hour.",
    )
    sleep_quality = models.PositiveSmallIntegerField(
        "sleep quality", choices=SleepQuality, null=True, blank=True
    )
    flare_severity = models.PositiveSmallIntegerField(
        "flare severity",
        null=True,
        blank=True,
        validators=[MaxValueValidator(MEASURES["flare_severity"].highest)],
        help_text="0 = no flare, 10 = worst you can imagine.",
    )
    symptoms = models.ManyToManyField(
        Symptom, blank=True, related_name="entries", through="EntrySymptom"
    )
    # Encrypted, so the database cannot check the length: the field's validation and the log
    # form (which the API shares) refuse longer notes.
    notes = EncryptedTextField(blank=True, max_length=NOTES_MAX_LENGTH)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DailyEntryManager()

    class Meta:
        ordering = ["-day"]
        verbose_name = "daily entry"
        verbose_name_plural = "daily entries"
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="entry_one_per_user_day"),
            models.CheckConstraint(condition=Q(day__gte=FIRST_DAY), name="entry_day_from_1900"),
            models.CheckConstraint(
                condition=Q(sexual_activity__in=SexualActivity.values)
                | Q(sexual_activity__isnull=True),
                name="entry_sexual_activity_known",
            ),
            models.CheckConstraint(
                condition=Q(intensity__in=Intensity.values) | Q(intensity__isnull=True),
                name="entry_intensity_known",
            ),
            # Intensity, satisfaction and discomfort describe an activity, so they need one.
            models.CheckConstraint(
                condition=Q(
                    intensity__isnull=True, satisfaction__isnull=True, discomfort__isnull=True
                )
                | Q(sexual_activity__isnull=False, sexual_activity__in=ACTIVITY_KINDS),
                name="entry_activity_details_need_activity",
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__gte=1, satisfaction__lte=5),
                name="entry_satisfaction_1_5",
            ),
            models.CheckConstraint(
                condition=Q(discomfort__gte=0, discomfort__lte=10), name="entry_discomfort_0_10"
            ),
            # Each measure on a scale stays on it; hours slept must also be whole quarters.
            *(
                measure.check_constraint()
                for measure in MEASURES.values()
                if measure.name != "sleep_hours"
            ),
            models.CheckConstraint(
                condition=Q(sleep_hours__in=SLEEP_HOURS_CHOICES),
                name="entry_sleep_hours_quarters_0_24",
            ),
        ]

    def __str__(self) -> str:
        return f"Entry for {self.day.isoformat()}"

    def get_absolute_url(self) -> str:
        return reverse("tracker:log_day", args=[self.day.isoformat()])

    @property
    def version(self) -> str:
        """Changes on every save: the log form's hidden version and the API's ETag."""
        return str((self.updated_at - EPOCH) // datetime.timedelta(microseconds=1))

    @property
    def had_activity(self) -> bool:
        return self.sexual_activity in ACTIVITY_KINDS

    def replace_ticks(self, ticks: dict[str, Iterable[models.Model]], new: bool = False) -> None:
        """Make the day's ticks (any of MANY_TO_MANY_FIELDS) exactly these. What is ticked now is
        read in one query for both kinds (none for a new day), and only the links that differ
        are deleted or added. It sends no m2m_changed: saving the entry (save_day) already marks
        the person's records changed."""
        fields = {name: self._meta.get_field(name) for name in ticks}
        columns = {
            name: field.remote_field.through._meta.get_field(field.m2m_reverse_field_name()).attname
            for name, field in fields.items()
        }
        ticked: dict[str, set[int]] = {name: set() for name in ticks}
        if ticks and not new:
            reads = [
                field.remote_field.through.objects.filter(dailyentry=self)
                .annotate(kind=Value(name))
                .values_list(columns[name], "kind")
                for name, field in fields.items()
            ]
            for pk, name in reads[0].union(*reads[1:], all=True) if len(reads) > 1 else reads[0]:
                ticked[name].add(pk)
        for name, field in fields.items():
            link, column = field.remote_field.through, columns[name]
            wanted = {item.pk for item in ticks[name]}
            if gone := ticked[name] - wanted:
                link.objects.filter(dailyentry=self, **{f"{column}__in": gone}).delete()
            if added := wanted - ticked[name]:
                link.objects.bulk_create(
                    link(dailyentry=self, **{column: pk}, **self.link_defaults()) for pk in added
                )
            if not wanted:  # known to be none: whoever shows the day next needn't ask
                self._prefetched_objects_cache = getattr(self, "_prefetched_objects_cache", {})
                self._prefetched_objects_cache[name] = field.related_model.objects.none()

    def link_defaults(self) -> dict:
        """What every symptom or barrier ticked on this day repeats from it (EntryLink)."""
        return {"user_id": self.user_id, "day": self.day}


class EntryLink(models.Model):
    """Something ticked on a day (a symptom or what held intimacy back). It repeats the entry's
    person and day so that counting a period's ticks is one range of the (user, day) index
    rather than a lookup per day. On PostgreSQL the database copies both from the entry on
    every insert, and onto the links if an entry's person or day ever changed (migration 0006),
    so they cannot disagree."""

    # Lookups by entry use the unique (entry, item) index and lookups by person the (user,
    # day, item) index, so neither key needs an index of its own.
    dailyentry = models.ForeignKey(DailyEntry, on_delete=models.CASCADE, db_index=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    day = models.DateField()

    class Meta:
        abstract = True


class EntrySymptom(EntryLink):
    symptom = models.ForeignKey(Symptom, on_delete=models.CASCADE)

    class Meta:
        # The table Django made for the plain many-to-many field, kept with its constraint.
        db_table = "tracker_dailyentry_symptoms"
        unique_together = [("dailyentry", "symptom")]
        indexes = [
            models.Index(fields=["user", "day", "symptom"], name="entry_symptom_user_day"),
        ]

    def __str__(self) -> str:
        return f"{self.symptom_id} on {self.day.isoformat()}"


class EntryIntimacyBarrier(EntryLink):
    intimacybarrier = models.ForeignKey(IntimacyBarrier, on_delete=models.CASCADE)

    class Meta:
        db_table = "tracker_dailyentry_intimacy_barriers"
        unique_together = [("dailyentry", "intimacybarrier")]
        indexes = [
            models.Index(fields=["user", "day", "intimacybarrier"], name="entry_barrier_user_day"),
        ]

    def __str__(self) -> str:
        return f"{self.intimacybarrier_id} on {self.day.isoformat()}"
