import json

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from config.encryption import EncryptedTextField
from portability import upload_store


class ImportJob(models.Model):
    """A large import, checked and written by a background worker (portability/tasks.py) while the
    person watches its progress. The file's text waits encrypted and is cleared when the job
    ends; the problems found quote the file, so they are kept encrypted too.

    A large file of another app (kind "file") is first read by a job of its own: uploaded (kept
    encrypted on disk, portability/upload_store.py), reading, then read: its extraction waits in
    file_text for the person's choices on the preview, and Import starts the usual job."""

    class State(models.TextChoices):
        UPLOADED = "uploaded", "Waiting to read your file"
        READING = "reading", "Reading your file"
        READ = "read", "Ready to check"
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Checking every day"
        DONE = "done", "Imported"
        FAILED = "failed", "Nothing was imported"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    kind = models.CharField(
        max_length=4,
        help_text="The file's kind: json or csv (Hearth's text), file (another app's, stored).",
    )
    overwrite = models.BooleanField(help_text="Replace days already logged, not keep them.")
    fill_empty = models.BooleanField(
        default=False, help_text="Add the file's values only where the day has none."
    )
    source = models.CharField(
        max_length=20, blank=True, help_text="Another app's file: which (importers.SOURCES)."
    )
    upload_name = models.CharField(
        max_length=64, blank=True, help_text="The stored file's random name, until it is read."
    )
    bytes_total = models.BigIntegerField(default=0)
    bytes_read = models.BigIntegerField(default=0)
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
                condition=models.Q(
                    state__in=["uploaded", "reading", "read", "queued", "running", "done", "failed"]
                ),
                name="import_job_state_known",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["json", "csv", "file"]),
                name="import_job_kind_known",
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
    def reading(self) -> bool:
        return self.state in (self.State.UPLOADED, self.State.READING)

    @property
    def progress(self) -> tuple[int, int]:
        """(done, total) for the page's progress bar: bytes read, or days checked."""
        if self.reading:
            return round(self.bytes_read * 100 / max(self.bytes_total, 1)), 100
        return self.days_checked, self.days_total

    @property
    def progress_text(self) -> str:
        done, total = self.progress
        if self.reading:
            return f"{self.get_state_display()}… {done}%"
        return f"{self.get_state_display()}: {done} of {total} days checked."

    @property
    def problem_list(self) -> list[tuple[str, list[str]]]:
        return [(where, messages) for where, messages in json.loads(self.problems or "[]")]

    def finish(self, summary: str) -> None:
        self._end(self.State.DONE, summary=summary, days_checked=self.days_total)

    def fail(self, *, problems: list[tuple[str, list[str]]] = (), error: str = "") -> None:
        self._end(self.State.FAILED, problems=json.dumps(problems) if problems else "", error=error)

    def read(self, extraction_json: str) -> None:
        """The stored file is read: its extraction waits for the preview's choices."""
        self._end(
            self.State.READ,
            file_text=extraction_json,
            finished_at=None,
            bytes_read=self.bytes_total,
        )

    def _end(self, state: str, **values) -> None:
        values = {"file_text": "", "finished_at": timezone.now(), **values}
        values.update(state=state, upload_name="")
        upload_store.delete(self.upload_name)
        for name, value in values.items():
            setattr(self, name, value)
        self.save(update_fields=list(values))


@receiver(post_delete, sender=ImportJob)
def delete_stored_file(sender, instance: ImportJob, **kwargs) -> None:
    """A job deleted (cancelled, or with its owner's account) takes its stored file along."""
    if instance.upload_name:
        transaction.on_commit(lambda: upload_store.delete(instance.upload_name))
