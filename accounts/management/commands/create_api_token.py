"""Make a personal access token for an account and print it (for operators and tests)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.tokens import create_token


class Command(BaseCommand):
    help = "Make a named API token for the account with this email address and print it."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", required=True, help="What the token is for.")
        parser.add_argument(
            "--expires-in-days", type=int, default=None, help="Default: never expires."
        )

    def handle(self, *args, email: str, name: str, expires_in_days: int | None, **options):
        try:
            user = User.objects.get_by_natural_key(email)
        except User.DoesNotExist:
            raise CommandError("No account has that email address.") from None
        if not user.is_active:
            raise CommandError("That account is suspended, so a token would not work.")
        name = " ".join(name.split())
        if not name or len(name) > 60:
            raise CommandError("Give a name of 1 to 60 characters.")
        if expires_in_days is not None and expires_in_days < 1:
            raise CommandError("--expires-in-days must be 1 or more.")
        expires_in = None if expires_in_days is None else datetime.timedelta(days=expires_in_days)
        _, secret = create_token(user, name, expires_in)
        self.stdout.write(secret)
