"""Production (DEBUG off) refuses to start with settings that would leak or loosen things: mail
written to the log, rate limits kept in each worker's own memory. Sign-up verifies the address,
so it can answer an address already in use like a new one. Each check runs a separate process
started with the environment production runs with (tests/config/test_deploy_check.py)."""

import json

import pytest

from tests.config.test_deploy_check import run_in_production

CONSOLE = "django.core.mail.backends.console.EmailBackend"

READ_SETTINGS = """
import json
import django

django.setup()
from django.conf import settings

print(json.dumps({
    "email_verification": settings.ACCOUNT_EMAIL_VERIFICATION,
    "email_backend": settings.EMAIL_BACKEND,
    "cache": settings.CACHES["default"]["BACKEND"],
}))
"""


def starts(**environment: str) -> tuple[bool, str]:
    """Whether `manage.py check` runs in production with this environment, and what it said."""
    result = run_in_production("manage.py", "check", **environment)
    return result.returncode == 0, result.stdout + result.stderr


def production_settings(**environment: str) -> dict:
    result = run_in_production(
        "-c", READ_SETTINGS, DJANGO_SETTINGS_MODULE="config.settings", **environment
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


@pytest.mark.parametrize(
    "backend",
    ["", CONSOLE, "django.core.mail.backends.filebased.EmailBackend"],
    ids=["not set", "console", "file"],
)
def test_production_refuses_to_start_when_mail_would_land_in_the_log_or_a_file(backend):
    started, output = starts(EMAIL_BACKEND=backend)

    assert not started
    assert "Set EMAIL_BACKEND when DEBUG is off" in output


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.mail.backends.smtp.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
        "django.core.mail.backends.dummy.EmailBackend",
    ],
    ids=["smtp", "locmem", "dummy"],
)
def test_production_starts_with_a_backend_the_operator_chose(backend):
    started, output = starts(EMAIL_BACKEND=backend)

    assert started, output


def test_development_prints_mail_in_the_terminal():
    assert production_settings(DEBUG="true", EMAIL_BACKEND="")["email_backend"] == CONSOLE


def test_production_refuses_to_start_with_each_worker_keeping_its_own_cache():
    started, output = starts(SINGLE_PROCESS="false")

    assert not started
    assert "Set REDIS_URL when DEBUG is off" in output
    assert "SINGLE_PROCESS=true" in output


def test_production_starts_with_a_shared_cache_or_when_told_it_is_one_process():
    assert starts(SINGLE_PROCESS="false", REDIS_URL="redis://127.0.0.1:6379/0")[0]
    assert starts(SINGLE_PROCESS="true")[0]


@pytest.mark.parametrize("half", ["WEBPUSH_VAPID_PUBLIC_KEY", "WEBPUSH_VAPID_PRIVATE_KEY"])
def test_production_refuses_to_start_with_one_push_key_of_the_two(half):
    started, output = starts(**{half: "a-key"})

    assert not started
    assert "Set both WEBPUSH_VAPID_PUBLIC_KEY and WEBPUSH_VAPID_PRIVATE_KEY" in output


def test_production_starts_with_both_push_keys_or_neither():
    assert starts(WEBPUSH_VAPID_PUBLIC_KEY="public", WEBPUSH_VAPID_PRIVATE_KEY="private")[0]
    assert starts(WEBPUSH_VAPID_PUBLIC_KEY="", WEBPUSH_VAPID_PRIVATE_KEY="")[0]


def test_production_makes_email_verification_mandatory_by_default():
    assert production_settings()["email_verification"] == "mandatory"
    assert production_settings(DEBUG="true")["email_verification"] == "optional"
    assert (
        production_settings(ACCOUNT_EMAIL_VERIFICATION="optional")["email_verification"]
        == "optional"
    )
