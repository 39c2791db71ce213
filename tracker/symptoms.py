"""Symptoms a person can tick on a day: the shared catalogue (loaded by a data migration, see
tracker/catalogue.py) and the ones each person adds for themselves.

A model of the tracker app, importable from tracker.models like every other."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower


class SymptomQuerySet(models.QuerySet):
    def available_to(self, user) -> "SymptomQuerySet":
        """The shared catalogue plus the person's own symptoms, never anyone else's."""
        return self.filter(Q(owner__isnull=True) | Q(owner=user))

    def owned_by(self, user) -> "SymptomQuerySet":
        return self.filter(owner=user)

    def named_or_new(self, user, name: str) -> "Symptom":
        """The symptom called name (ignoring case) that the person can tick, the catalogue's
        first; otherwise a new symptom of their own."""
        existing = self.available_to(user).filter(name__iexact=name).order_by("owner_id").first()
        return existing or self.create(owner=user, name=name)


class Symptom(models.Model):
    """A symptom from the shared catalogue (no owner) or one a person added for themselves."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="own_symptoms",
        help_text="Empty for the shared catalogue; otherwise the only person who sees it.",
    )
    name = models.CharField(max_length=60)
    position = models.PositiveSmallIntegerField(default=0)
    intimate = models.BooleanField(
        default=False,
        help_text="A sexual-health symptom: it is shown with the intimacy answers, so discreet "
        "mode hides it with them.",
    )

    objects = SymptomQuerySet.as_manager()

    class Meta:
        ordering = ["owner_id", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                "owner",
                Lower("name"),
                name="symptom_name_unique_per_owner",
                violation_error_message="You already have a symptom with this name.",
            ),
            models.UniqueConstraint(
                Lower("name"),
                condition=Q(owner__isnull=True),
                name="symptom_catalogue_name_unique",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="symptom_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name
