"""What Hearth sent to whom and for which of their days: the row that makes sending idempotent."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Delivery(models.Model):
    """One message of one kind for one of the person's local days. The row is written in the
    transaction that decides to send, and the database allows one per (person, kind, day): a
    retried job, two beats or two workers find it there and send nothing."""

    class Kind(models.TextChoices):
        CHECK_IN = "check_in", "Check-in reminder"
        PAUSED = "paused", "Reminders paused notice"
        WEEKLY = "weekly", "Weekly look back"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deliveries"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    local_date = models.DateField(help_text="The person's own calendar day it was for.")
    created_at = models.DateTimeField(default=timezone.now)
    skipped_at = models.DateTimeField(
        null=True, blank=True, help_text="When the person answered “not today”."
    )

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "local_date"], name="delivery_one_per_person_kind_day"
            ),
        ]
        # The staff dashboard counts them per day.
        indexes = [models.Index(fields=["kind", "created_at"], name="delivery_kind_time")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.local_date}"
