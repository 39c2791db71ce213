"""Re-encrypt every note, and every authenticator-app secret, under the current (first) key
of NOTES_ENCRYPTION_KEYS.

To change keys: put the new key first (NOTES_ENCRYPTION_KEYS=new,old), restart, run this, then
drop the old key. Notes already under the new key are left alone, so running it again is safe.
"""

from django.core.management.base import BaseCommand, CommandError

from accounts.adapters import rotate_totp_secrets
from config.encryption import ROTATE_BATCH_SIZE, rotate_all


class Command(BaseCommand):
    help = (
        "Re-encrypt every note under the first key in NOTES_ENCRYPTION_KEYS, in batches. "
        "Safe to run again: notes already under that key are skipped."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=ROTATE_BATCH_SIZE,
            help=f"Rows read and written at a time (default {ROTATE_BATCH_SIZE}).",
        )

    def handle(self, *args, batch_size: int, **options) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        rotated = rotate_all(batch_size)
        for column, count in rotated.items():
            self.stdout.write(f"{column}: {count:,} rotated.")
        self.stdout.write(f"Rotated {sum(rotated.values()):,} notes to the current key.")
        secrets = rotate_totp_secrets()
        self.stdout.write(f"Rotated {secrets:,} authenticator-app secrets to the current key.")
