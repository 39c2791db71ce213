"""Share links: a read-only page of one period of a person's records, for a clinician, that
opens without an account until it expires or its owner revokes it.

Only a hash of the link's secret is stored (like API tokens): the secret is shown once, when
the link is made. A passcode, if the person sets one, is stored hashed like a password.
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.db.models import Q
from django.utils import timezone

# The parts of a shared page, in the order it shows them, with what the form calls them. Notes
# and intimacy are off unless the person ticks them.
SECTIONS = {
    "show_summary": "Summary table",
    "show_charts": "Charts",
    "show_flares": "Flare calendar and episodes",
    "show_symptoms": "Symptoms",
    "show_medications": "Medications",
    "show_insights": "Insights",
    "show_notes": "Notes from flare days",
    "show_intimacy": "Intimacy",
}
EXPIRY_DAYS = (1, 7, 30, 90)
SECRET_BYTES = 32


def digest_of(secret: str) -> str:
    """The hash a link is found by. The secret is 256 random bits, so one SHA-256 suffices: no
    slow hash is needed against guessing, and every lookup costs the same."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ShareLinkQuerySet(models.QuerySet):
    def for_user(self, user) -> "ShareLinkQuerySet":
        return self.filter(user=user)

    def live(self) -> "ShareLinkQuerySet":
        """Links that still open: neither revoked nor expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())

    def opened_by(self, secret: str) -> "ShareLink | None":
        """The live link this secret opens, None otherwise. An unknown, revoked or expired
        secret costs the same hash and the same one query, so timing tells them apart no more
        than the answer does."""
        # A suspended person's links stop with their sign-in.
        live = self.live().filter(user__is_active=True).select_related("user")
        return live.filter(digest=digest_of(secret)).first()

    def create_for(
        self,
        user,
        *,
        start: datetime.date,
        end: datetime.date,
        expires_in: datetime.timedelta,
        passcode: str = "",
        **fields,
    ) -> tuple["ShareLink", str]:
        """A new link and its secret: the only time the secret is known."""
        secret = secrets.token_urlsafe(SECRET_BYTES)
        now = timezone.now()
        link = self.create(
            user=user,
            digest=digest_of(secret),
            start=start,
            end=end,
            created_at=now,
            expires_at=now + expires_in,
            passcode_hash=make_password(passcode) if passcode else "",
            **fields,
        )
        return link, secret


class ShareLink(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="share_links"
    )
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the secret.")
    label = models.CharField(
        max_length=80, blank=True, help_text="For you alone, e.g. “Dr Okafor, March”."
    )
    start = models.DateField(help_text="First day shown, in the person's own calendar.")
    end = models.DateField(help_text="Last day shown.")
    show_summary = models.BooleanField(SECTIONS["show_summary"], default=True)
    show_charts = models.BooleanField(SECTIONS["show_charts"], default=True)
    show_flares = models.BooleanField(SECTIONS["show_flares"], default=True)
    show_symptoms = models.BooleanField(SECTIONS["show_symptoms"], default=True)
    show_medications = models.BooleanField(SECTIONS["show_medications"], default=True)
    show_insights = models.BooleanField(SECTIONS["show_insights"], default=True)
    show_notes = models.BooleanField(SECTIONS["show_notes"], default=False)
    show_intimacy = models.BooleanField(SECTIONS["show_intimacy"], default=False)
    passcode_hash = models.CharField(max_length=128, blank=True, help_text="Empty: no passcode.")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="share_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="share_expires_after_made",
            ),
            models.CheckConstraint(
                condition=Q(show_summary=True)
                | Q(show_charts=True)
                | Q(show_flares=True)
                | Q(show_symptoms=True)
                | Q(show_medications=True)
                | Q(show_insights=True)
                | Q(show_notes=True)
                | Q(show_intimacy=True),
                name="share_shows_something",
            ),
        ]

    def __str__(self) -> str:
        return self.label or f"Link made {self.created_at:%Y-%m-%d}"

    @property
    def has_passcode(self) -> bool:
        return bool(self.passcode_hash)

    def passcode_matches(self, passcode: str) -> bool:
        return self.has_passcode and check_password(passcode, self.passcode_hash)

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def sections(self) -> list[str]:
        """The names of the parts it shows, as the form calls them."""
        return [label for name, label in SECTIONS.items() if getattr(self, name)]

    def revoke(self) -> None:
        """Stop the link at once; the list keeps it, with its openings."""
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    def record_opening(self, device: str, *, passcode_given: bool) -> "ShareLinkOpening":
        return self.openings.create(device=device, passcode_given=passcode_given)


class ShareLinkOpening(models.Model):
    """One opening of a shared page, for its owner's list: when, on roughly which device (never
    an address or a full user agent), and whether the passcode was given."""

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="openings")
    opened_at = models.DateTimeField(default=timezone.now)
    device = models.CharField(max_length=80, blank=True)
    passcode_given = models.BooleanField(default=False)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["link", "-opened_at"], name="share_opening_link_time")]

    def __str__(self) -> str:
        return f"Opened {self.opened_at:%Y-%m-%d %H:%M}"
