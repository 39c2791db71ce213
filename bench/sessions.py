"""Print one signed-in session cookie per line for randomly chosen benchmark people.

Usage: python bench/sessions.py COUNT [--tokens]  (with DATABASE_URL pointing at the benchmark
database). With --tokens each line also holds a new API token of the same person, after a space.
"""

import os
import random
import sys
from importlib import import_module

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.tokens import create_token  # noqa: E402


def main(count: int, tokens: bool) -> None:
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    people = list(User.objects.filter(email__startswith="bench-").only("pk", "password"))
    for person in random.Random(7).sample(people, min(count, len(people))):
        session = store_class()
        session[SESSION_KEY] = str(person.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = person.get_session_auth_hash()
        session.create()
        if tokens:
            print(session.session_key, create_token(person, "Benchmark")[1])
        else:
            print(session.session_key)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200, "--tokens" in sys.argv)
