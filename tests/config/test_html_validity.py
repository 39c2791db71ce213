"""Every main page is valid HTML, as the Nu HTML checker (the W3C's validator) reads it.

The checker is vnu.jar from the npm package vnu-jar, pinned in tools/package.json and installed
by `bin/setup dev` (this test installs it too when it is missing), run with the machine's Java.
It takes seconds to start, so every page is rendered first and all are checked in one run.
"""

import datetime
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from tests.conftest import reauthenticate, record_session
from tests.factories import MedicationFactory, SymptomFactory
from tracker.management.commands.seed_demo import DEMO_EMAIL

TOOLS = Path(__file__).resolve().parents[2] / "tools"
VNU_JAR = TOOLS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

SIGNED_OUT_PAGES = [
    "/",
    "/privacy/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/no-such-page/",
    "/install/",
    "/offline/",
    "/offline/log/",
]
SIGNED_IN_PAGES = [
    "/log/",
    "/log/{past_day}/",
    "/log/{past_day}/delete/",
    "/history/",
    "/trends/",
    "/trends/?range=all",
    "/trends/table/flare_severity/",
    "/insights/",
    "/week/",
    "/report/?start={report_start}&end={today}&include_notes=on&include_intimacy=on",
    "/medications/",
    "/symptoms/",
    "/account/profile/",
    "/account/security/",
    "/account/tokens/",
    "/share/",
    "/account/data/",
    "/account/data/import/",
    "/account/delete/",
    "/accounts/sessions/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/2fa/",
    "/accounts/2fa/totp/activate/",
    "/accounts/2fa/webauthn/",
    "/accounts/reauthenticate/",
]
# Discreet mode draws these pages with their private parts folded away.
DISCREET_PAGES = ["/log/", "/history/", "/trends/", "/insights/"]


def vnu_jar() -> Path:
    """The checker's jar, installed from tools/package-lock.json if it is not there yet (the
    package's own install script, which fetches a Java runtime, is skipped: Java is here)."""
    if not VNU_JAR.exists():
        npm = shutil.which("npm")
        assert npm, "npm is needed to install the Nu HTML checker (tools/package.json)"
        subprocess.run(
            [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--silent"],
            cwd=TOOLS,
            check=True,
        )
    return VNU_JAR


def check_html(files: list[Path]) -> list[dict]:
    """The checker's errors in files, in one run of the checker."""
    java = shutil.which("java")
    assert java, "Java is needed to run the Nu HTML checker"
    result = subprocess.run(
        [java, "-jar", str(vnu_jar()), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # The checker writes its JSON report on stderr and exits 1 when it found errors.
    return [m for m in json.loads(result.stderr)["messages"] if m["type"] != "info"]


@pytest.fixture
def demo_person(db) -> User:
    """The demo account with 120 days of its synthetic journal, a medication, an own symptom."""
    call_command("seed_demo", "--days", "120", stdout=io.StringIO())
    person = User.objects.get(email=DEMO_EMAIL)
    MedicationFactory(user=person)
    SymptomFactory(owner=person, name="Aching wrists")
    return person


# A page with a known error, checked with the others: proof that the checker read every file.
KNOWN_BAD = (
    '<!DOCTYPE html><html lang="en"><head><title>Known bad</title></head><body>'
    "<figure><p>Chart</p><figcaption>Caption</figcaption><p>Link</p></figure></body></html>"
)


def test_every_main_page_is_valid_html(demo_person, tmp_path):
    pages: dict[Path, str] = {}  # file -> what it shows

    def keep(response, what: str) -> None:
        assert response.status_code in (200, 404), f"{what} answered {response.status_code}"
        file = tmp_path / f"{len(pages):02d}.html"
        file.write_bytes(response.content)
        pages[file] = what

    visitor = Client()
    for path in SIGNED_OUT_PAGES:
        keep(visitor.get(path), path)
    client = Client()
    client.force_login(demo_person)
    record_session(client, demo_person)
    reauthenticate(client, demo_person)
    today = demo_person.today()
    days = {
        "today": today,
        "past_day": today - datetime.timedelta(days=2),
        "report_start": today - datetime.timedelta(days=60),
    }
    for path in SIGNED_IN_PAGES:
        path = path.format(**{name: day.isoformat() for name, day in days.items()})
        keep(client.get(path), path)
    # Forms re-rendered with an error beside a field.
    keep(
        visitor.post("/accounts/login/", {"login": "nobody@example.org", "password": "wrong"}),
        "/accounts/login/ (with an error)",
    )
    keep(client.post("/log/", {"sleep_hours": "7.3"}), "/log/ (with an error)")
    demo_person.discreet_mode = True
    demo_person.save(update_fields=["discreet_mode"])
    for path in DISCREET_PAGES:
        keep(client.get(path), f"{path} (discreet mode)")
    known_bad = tmp_path / "known-bad.html"
    known_bad.write_text(KNOWN_BAD)

    errors = check_html([*pages, known_bad])

    assert [m["url"] for m in errors if m["url"].endswith("known-bad.html")], "checker read nothing"
    errors = [m for m in errors if not m["url"].endswith("known-bad.html")]
    assert not errors, "The Nu HTML checker found:\n" + "\n".join(
        f"{pages[Path(m['url'].removeprefix('file:'))]} line {m.get('lastLine', '?')}: "
        f"{m['message']}\n    {m.get('extract', '').strip()}"
        for m in errors
    )
