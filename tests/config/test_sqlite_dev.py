"""The README's first command runs Hearth on SQLite: every page a person uses must work there
too, not only on the PostgreSQL the rest of the suite uses (some reads are written in SQL)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGES = [
    "/log/",
    "/history/",
    "/trends/",
    "/trends/?range=all",
    "/trends/?range=30d",
    "/trends/table/stress/?range=all",
    "/insights/",
    "/report/",
    "/medications/",
    "/account/security/",
    "/api/v1/trends/?range=all",
    "/api/v1/insights/?range=all",
]
VISIT = f"""
from django.test import Client
from accounts.models import User
client = Client(HTTP_HOST="localhost")
client.force_login(User.objects.get(email="demo@hearth.example"))
for path in {PAGES!r}:
    status = client.get(path).status_code
    print(path, status)
    assert status == 200, (path, status)
"""


def test_the_demo_runs_on_sqlite(tmp_path):
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "DEBUG": "true",
        "CACHE_DISABLED": "true",
    }

    def manage(*arguments: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=240,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    manage("migrate", "--verbosity", "0")
    manage("seed_demo")
    visited = manage("shell", "--command", VISIT)

    assert visited.count(" 200") == len(PAGES)
