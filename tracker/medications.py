"""The medications a person takes or took, drawn as bands on their trends.

A model of the tracker app, importable from tracker.models like every other."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from config.encryption import EncryptedTextField
from tracker.days import FIRST_DAY

MEDICATION_NOTE_MAX_LENGTH = 500


class MedicationQuerySet(models.QuerySet):
    def for_user(self, user) -> "MedicationQuerySet":
        return self.filter(user=user)

    def overlapping(self, start: datetime.date, end: datetime.date) -> "MedicationQuerySet":
        """Medications taken on at least one day from start to end."""
        return self.filter(Q(stopped__isnull=True) | Q(stopped__gte=start), started__lte=end)


class Medication(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="medications"
    )
    name = models.CharField(max_length=120)
    dose = models.CharField(
        max_length=120, blank=True, help_text="As you would say it, for example “15 mg weekly”."
    )
    started = models.DateField()
    stopped = models.DateField(null=True, blank=True, help_text="Leave empty if you still take it.")
    note = EncryptedTextField(blank=True, max_length=MEDICATION_NOTE_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MedicationQuerySet.as_manager()

    class Meta:
        ordering = ["-started", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stopped__isnull=True) | Q(stopped__gte=F("started")),
                name="medication_stop_not_before_start",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="medication_name_not_empty"),
            models.CheckConstraint(
                condition=Q(started__gte=FIRST_DAY), name="medication_started_from_1900"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def ongoing(self) -> bool:
        return self.stopped is None
