from django.core.management.base import BaseCommand

from reminders.tasks import run_due_jobs


class Command(BaseCommand):
    help = (
        "Queue every reminder and weekly look back due now, as celery beat does each minute "
        "(without a broker they are sent at once)."
    )

    def handle(self, *args, **options) -> None:
        queued = run_due_jobs()
        self.stdout.write(f"{queued} due.")
