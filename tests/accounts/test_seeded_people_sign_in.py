"""The demo account and the benchmark people can sign in where email verification is mandatory
(production's default, and what bench/load.sh runs with): their addresses are stored confirmed."""

import io
import json
import runpy

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from tracker.management.commands.seed_demo import (
    BENCH_EMAIL,
    BENCH_PASSWORD,
    DEMO_EMAIL,
    DEMO_PASSWORD,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def mandatory_verification(settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"


def signs_in(client, email: str, password: str) -> bool:
    response = client.post("/accounts/login/", {"login": email, "password": password})
    return response.status_code == 302 and response["Location"] == "/log/"


def test_the_demo_and_benchmark_people_of_seed_demo_can_sign_in(client):
    call_command("seed_demo", "--users", "1", "--days", "5", stdout=io.StringIO())

    assert signs_in(client, DEMO_EMAIL, DEMO_PASSWORD)
    client.logout()
    assert signs_in(client, BENCH_EMAIL.format(1), BENCH_PASSWORD)


def test_the_load_test_people_can_sign_in(client, capsys):
    seed_people = runpy.run_path(str(django_settings.BASE_DIR / "bench" / "seed_people.py"))
    seed_people["main"](1)
    person = json.loads(capsys.readouterr().out.splitlines()[0])

    assert signs_in(client, person["email"], person["password"])
