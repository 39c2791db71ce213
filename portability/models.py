import json

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from config.encryption import EncryptedTextField


class ImportJob(models.Model):
    """A large import, checked and written by a background worker (portability/tasks.py) while the
    person watches its progress. The file's text waits encrypted and is cleared when the job
    ends; the problems found quote the file, so they are kept encrypted too."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Checking every day"
        DONE = "done", "Imported"
        FAILED = "failed", "Nothing was imported"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    kind = models.CharField(max_length=4, help_text="The file's kind: json or csv.")
    overwrite = models.BooleanField(help_text="Replace days already logged, not keep them.")
    with_profile = models.BooleanField(default=False)
    device = models.CharField(
        max_length=80, blank=True, help_text="For the security activity line, as SecurityEvent."
    )
    file_text = EncryptedTextField(blank=True, help_text="Cleared when the job ends.")
    days_total = models.PositiveIntegerField(default=0)
    days_checked = models.PositiveIntegerField(default=0)
    summary = models.TextField(blank=True, help_text="What was imported, in counts.")
    problems = EncryptedTextField(
        blank=True, help_text='The file\'s problems as JSON: [["Line 3", ["message", ...]], ...]'
    )
    error = models.TextField(blank=True, help_text="Why it failed, when not the file's problems.")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["queued", "running", "done", "failed"]),
                name="import_job_state_known",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["json", "csv"]), name="import_job_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"Import {self.pk}: {self.get_state_display()}"

    def get_absolute_url(self) -> str:
        return reverse("portability:import_job", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def problem_list(self) -> list[tuple[str, list[str]]]:
        return [(where, messages) for where, messages in json.loads(self.problems or "[]")]

    def finish(self, summary: str) -> None:
        self._end(self.State.DONE, summary=summary, days_checked=self.days_total)

    def fail(self, *, problems: list[tuple[str, list[str]]] = (), error: str = "") -> None:
        self._end(self.State.FAILED, problems=json.dumps(problems) if problems else "", error=error)

    def _end(self, state: str, **values) -> None:
        values.update(state=state, file_text="", finished_at=timezone.now())
        for name, value in values.items():
            setattr(self, name, value)
        self.save(update_fields=list(values))
