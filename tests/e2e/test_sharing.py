"""Share links in the browser: a person makes one (giving the password again) and copies its
address; someone without an account opens it on a phone, gives the passcode, reads only what
was chosen, and prints it to a PDF that holds the same sections."""

import datetime
import io
import unicodedata
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from tests.conftest import PASSWORD
from tests.e2e.helpers import (
    PHONE,
    check_axe,
    check_controls_labelled,
    check_descriptions_not_empty,
    check_no_horizontal_scroll,
    check_table_cells_visible,
)
from tests.factories import DailyEntryFactory, MedicationFactory, SymptomFactory
from tracker.models import IntimacyBarrier

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]

SHOTS = Path("/work/notes/screens/sharing")
FLARE_NOTE = "Knees hot and swollen after the long walk"
PASSCODE = "heron"


def shot(page: Page, name: str) -> None:
    """A full-page screenshot for people to look at; never compared."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True, animations="disabled")


def page_problems(page: Page) -> list[str]:
    return (
        check_axe(page)
        + check_no_horizontal_scroll(page)
        + check_controls_labelled(page)
        + check_descriptions_not_empty(page)
        + check_table_cells_visible(page)
    )


@pytest.fixture
def journal(user):
    """Thirty days with flares, a note, a symptom and intimacy answers, and a medication."""
    today = user.today()
    stiffness = SymptomFactory(owner=user, name="Morning stiffness")
    for offset in range(30):
        flaring = offset in (10, 11, 12)
        entry = DailyEntryFactory(
            user=user,
            day=today - datetime.timedelta(days=offset),
            stress=offset % 9,
            fatigue=(offset * 3) % 11,
            flare_severity=8 if flaring else 1,
            sleep_quality=offset % 5 + 1,
            libido=3,
            sexual_activity="partnered" if offset % 7 == 0 else "none",
            notes=FLARE_NOTE if offset == 11 else "",
        )
        if flaring:
            entry.symptoms.set([stiffness])
        if offset % 7 == 0:
            entry.intimacy_barriers.set(IntimacyBarrier.objects.filter(slug="body-image"))
    MedicationFactory(user=user, name="Methotrexate", dose="15 mg weekly")
    return user


def make_link(page: Page) -> str:
    """Make a link on /share/ as a person does, and return the address it shows once."""
    page.goto("/share/")
    page.get_by_label("The last 30 days").check()
    page.get_by_label("Notes from flare days").check()
    page.get_by_label("Stops working").select_option(label="In 7 days")
    page.get_by_label("Label (optional)").fill("Dr Okafor, March")
    page.get_by_label("Passcode (optional)").fill(PASSCODE)
    page.get_by_role("button", name="Make link").click()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Your new link")).to_be_visible()
    field = page.get_by_label("Link", exact=True)
    expect(field).to_be_focused()
    return field.input_value()


def test_a_link_made_on_the_share_page_opens_on_a_phone_without_an_account_and_prints(
    signed_in_page: Page, browser: Browser, browser_guard, journal
):
    page = signed_in_page
    address = make_link(page)
    assert page_problems(page) == []
    shot(page, "share-made-375")

    # Someone else's phone: a fresh browser with no session.
    context = browser.new_context(viewport=PHONE)
    browser_guard.watch(context)
    phone = context.new_page()
    phone.goto(address)
    expect(phone.get_by_role("heading", name="This page needs a passcode")).to_be_visible()
    assert page_problems(phone) == []
    phone.get_by_label("Passcode").fill(PASSCODE)
    phone.get_by_role("button", name="Open the page").click()

    expect(phone.get_by_role("heading", name="Health summary: A Hearth user")).to_be_visible()
    expect(phone.get_by_role("heading", name="Notes from flare days")).to_be_visible()
    expect(phone.get_by_text(FLARE_NOTE)).to_be_visible()
    expect(phone.locator("[data-chart='stress'] canvas")).to_have_count(1)
    expect(phone.get_by_role("link")).to_have_count(1)  # the skip link, nothing into the app
    assert "Body image" not in phone.content()
    assert page_problems(phone) == []
    shot(phone, "shared-375")

    pdf = phone.pdf(format="A4", print_background=True)
    (SHOTS / "shared.pdf").write_bytes(pdf)
    # NFKC undoes the typeface's ligatures ("ﬂ" for "fl").
    text = unicodedata.normalize(
        "NFKC",
        " ".join(
            " ".join(sheet.extract_text().split()) for sheet in PdfReader(io.BytesIO(pdf)).pages
        ),
    )
    for heading in (
        "Health summary: A Hearth user",
        "Medications in this period",
        "Methotrexate",
        "Summary",
        "Flare episodes",
        "Flare calendar",
        "Most frequent symptoms",
        "Morning stiffness",
        "Charts",
        "Patterns in the person's records",
        "Notes from flare days",
        FLARE_NOTE,
        "consult your clinician",
    ):
        assert heading in text, f"{heading!r} is not in the PDF"
    assert "Body image" not in text
    assert "Print / save as PDF" not in text
    context.close()

    # The person sees the opening, and revokes the link.
    page.goto("/share/")
    expect(page.get_by_text("Opened 1 time")).to_be_visible()
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("Revoked. The link no longer opens anything.")).to_be_visible()
    shot(page, "share-list-375")
    browser_guard.allow_console_error("404")
    assert page.goto(address).status == 404
