"""`manage.py check --deploy` is clean with the settings production runs with."""

import os
import secrets
import subprocess
import sys

from cryptography.fernet import Fernet
from django.conf import settings


def production_environment(**overrides: str) -> dict[str, str]:
    """The environment of a production process: DEBUG off and every required secret set.
    Nothing else is inherited, so a developer's own variables cannot change the outcome."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "hearth.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://hearth.example.org",
        "NOTES_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "DATABASE_URL": "sqlite://:memory:",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        # One process, so its own memory may hold the cache (no Redis needed to start).
        "SINGLE_PROCESS": "true",
        **overrides,
    }


def run_in_production(*arguments: str, **environment: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=settings.BASE_DIR,
        env=production_environment(**environment),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_finds_nothing_to_warn_about_in_production():
    result = run_in_production("manage.py", "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr


def test_deploy_check_warns_when_production_runs_in_debug_mode():
    """The check above would also pass if it never ran with the deploy checks."""
    result = run_in_production(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING", DEBUG="true"
    )

    assert result.returncode != 0
    assert "security.W018" in result.stderr  # DEBUG must not be on in deployment.
