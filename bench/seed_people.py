"""Create COUNT people for the load tests and print one JSON line each: email, password, token.

Usage: python bench/seed_people.py COUNT  (with DATABASE_URL pointing at a throwaway database)

They have no records yet: the simulated people log their own days. The password is hashed once
and the hash shared, so seeding takes a second, not half a second per person.
"""

import json
import os
import sys

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import PRIVACY_VERSION, User  # noqa: E402
from accounts.tokens import create_token  # noqa: E402

PASSWORD = "load-test correct horse battery"


def main(count: int) -> None:
    password_hash = make_password(PASSWORD)
    people = User.objects.bulk_create(
        User(
            email=f"bench-load-{number}@example.org",
            password=password_hash,
            time_zone="UTC",
            consent_given_at=timezone.now(),
            consent_version=PRIVACY_VERSION,
        )
        for number in range(count)
    )
    # Confirmed, so they can sign in: with DEBUG off email verification is mandatory.
    EmailAddress.objects.bulk_create(
        EmailAddress(user=person, email=person.email, verified=True, primary=True)
        for person in people
    )
    for person in people:
        token = create_token(person, "Load test")[1]
        print(json.dumps({"email": person.email, "password": PASSWORD, "token": token}))


if __name__ == "__main__":
    main(int(sys.argv[1]))
