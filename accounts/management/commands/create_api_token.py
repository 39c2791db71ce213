"""Make a personal access token for an account and print it (for operators and tests)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from accounts.models import SecurityEvent, User
from accounts.security import record
from accounts.tokens import DEFAULT_EXPIRY_DAYS, create_token


class Command(BaseCommand):
    help = "Make a named API token for the account with this email address and print it."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", required=True, help="What the token is for.")
        expiry = parser.add_mutually_exclusive_group()
        expiry.add_argument(
            "--expires-in-days",
            type=int,
            default=DEFAULT_EXPIRY_DAYS,
            help=f"Default: {DEFAULT_EXPIRY_DAYS}.",
        )
        expiry.add_argument(
            "--never-expires", action="store_true", help="A token that works until revoked."
        )

    def handle(
        self, *args, email: str, name: str, expires_in_days: int, never_expires: bool, **options
    ):
        try:
            user = User.objects.get_by_natural_key(email)
        except User.DoesNotExist:
            raise CommandError("No account has that email address.") from None
        if not user.is_active:
            raise CommandError("That account is suspended, so a token would not work.")
        name = " ".join(name.split())
        if not name or len(name) > 60:
            raise CommandError("Give a name of 1 to 60 characters.")
        if expires_in_days < 1:
            raise CommandError("--expires-in-days must be 1 or more.")
        expires_in = None if never_expires else datetime.timedelta(days=expires_in_days)
        _, secret = create_token(user, name, expires_in)
        # On the person's security activity page, as when they make one themselves.
        record(None, user, SecurityEvent.Kind.TOKEN_CREATED)
        self.stdout.write(secret)
