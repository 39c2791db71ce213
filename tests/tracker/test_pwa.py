"""Hearth as an installable app (tracker/pwa.py): the manifest, the service worker, the pages it
keeps for offline use, and the Clear-Site-Data that wipes the device on sign-out and deletion."""

import datetime
import gzip
import json
import struct
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from tests.conftest import reauthenticate
from tests.factories import DailyEntryFactory
from tracker import pwa
from tracker.models import DailyEntry, Symptom

pytestmark = pytest.mark.django_db

STRICT_SCRIPT_POLICY = "script-src 'self'"


def png_size(path: str) -> tuple[int, int]:
    with open(path, "rb") as file:
        header = file.read(24)
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def static_path(url: str) -> str:
    return finders.find(url.removeprefix("/static/"))


def shell_of(response) -> list[str]:
    line = next(line for line in response.content.decode().splitlines() if "const SHELL" in line)
    return json.loads(line.split("=", 1)[1].strip().rstrip(";"))


def test_the_manifest_describes_an_installable_app(client):
    response = client.get("/manifest.webmanifest")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    assert "no-cache" in response["Cache-Control"]
    manifest = response.json()
    assert manifest["name"] == manifest["short_name"] == "Hearth"
    assert manifest["start_url"] == "/log/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert (manifest["theme_color"], manifest["background_color"]) == ("#7a3b2e", "#fbf7f3")


def test_the_manifest_icons_are_real_pngs_of_the_sizes_it_states(client):
    icons = client.get("/manifest.webmanifest").json()["icons"]

    assert {icon["purpose"] for icon in icons} == {"any", "maskable"}
    assert {icon["sizes"] for icon in icons} == {"192x192", "512x512"}
    for icon in icons:
        width, height = png_size(static_path(icon["src"]))
        assert f"{width}x{height}" == icon["sizes"]


def test_the_hearth_palette_is_the_one_in_the_stylesheet():
    with open(finders.find("css/hearth.css")) as file:
        css = file.read()

    assert f"--accent: {pwa.THEME_COLOUR};" in css
    assert f"--bg: {pwa.BACKGROUND_COLOUR};" in css


def test_every_page_links_the_manifest_but_only_signed_in_pages_start_the_worker(client, signed_in):
    anonymous = Client().get("/").content.decode()
    mine = signed_in.get("/log/").content.decode()

    for page in (anonymous, mine):
        assert '<link rel="manifest" href="/manifest.webmanifest">' in page
        assert 'href="/install/">Install on your phone</a>' in page
    assert 'name="hearth-service-worker"' not in anonymous
    assert '<meta name="hearth-service-worker" content="/sw.js" data-queue-owner=' in mine


def test_each_person_s_offline_queue_has_an_owner_nobody_can_guess(user, other_user, settings):
    mine = pwa.queue_owner(user)

    assert mine == pwa.queue_owner(user) != pwa.queue_owner(other_user)
    settings.SECRET_KEY = "another server's secret key, long enough for the test to use"
    assert pwa.queue_owner(user) != mine  # keyed by the server's secret, not just the id


def test_the_service_worker_is_a_script_at_the_root_under_the_strict_policy(client):
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert STRICT_SCRIPT_POLICY in response["Content-Security-Policy"]
    assert "unsafe" not in response["Content-Security-Policy"]
    assert "no-cache" in response["Cache-Control"]
    # Served at the root, its scope is the whole site without widening it by header.
    assert "Service-Worker-Allowed" not in response
    assert "importScripts(" in response.content.decode()


def test_the_shell_holds_static_files_and_the_two_pages_for_nobody_only(client):
    shell = shell_of(client.get("/sw.js"))

    pages = [url for url in shell if not url.startswith("/static/")]
    assert pages == ["/offline/", "/offline/log/"]
    for url in shell:
        if url.startswith("/static/"):
            assert static_path(url), url
    assert "/static/js/offline-queue.js" in shell


def test_the_shell_weighs_under_150_kb_compressed(client):
    total = sum(
        len(gzip.compress(Path(static_path(url)).read_bytes()))
        if url.startswith("/static/")
        else len(gzip.compress(client.get(url).content))
        for url in shell_of(client.get("/sw.js"))
    )

    assert total < 150 * 1024


def test_a_change_to_a_shell_file_changes_the_worker(client, monkeypatch, tmp_path):
    before = client.get("/sw.js").content
    changed = tmp_path / "hearth.css"
    changed.write_text("body { color: black; }")
    real_find = finders.find
    monkeypatch.setattr(
        pwa.finders,
        "find",
        lambda path: str(changed) if path == "css/hearth.css" else real_find(path),
    )
    # A deploy starts new processes, each working the version out anew.
    pwa.shell_version.cache_clear()
    try:
        after = client.get("/sw.js").content
    finally:
        pwa.shell_version.cache_clear()

    assert after != before


def test_the_offline_log_form_holds_nothing_of_the_person(signed_in, user, other_user):
    Symptom.objects.create(owner=user, name="Ada's own ache")
    Symptom.objects.create(owner=other_user, name="Grace's own ache")
    DailyEntryFactory(user=user, day=user.today(), notes="Only Ada knows this")

    response = signed_in.get("/offline/log/")

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="log-form"' in page and "data-offline-shell" in page
    for private in ("Ada's own ache", "Grace's own ache", "Only Ada knows", user.email):
        assert private not in page
    assert "csrfmiddlewaretoken" not in page
    assert 'name="version"' not in page
    assert "Sign out" not in page
    assert "Fatigue" in page  # the shared catalogue's form is all there


def test_the_offline_pages_answer_without_a_session(client):
    for url, words in [("/offline/", "You are offline"), ("/offline/log/", "Log a day while")]:
        response = client.get(url)
        assert response.status_code == 200
        assert words in response.content.decode()
        assert STRICT_SCRIPT_POLICY in response["Content-Security-Policy"]


def test_the_install_page_gives_the_steps_for_both_phones(client):
    page = client.get("/install/").content.decode()

    assert "<h1>Install Hearth on this phone</h1>" in page
    assert "Android, in Chrome" in page
    assert "Add to Home Screen" in page and "Share" in page


@pytest.mark.parametrize("url", ["/manifest.webmanifest", "/sw.js", "/offline/log/"])
def test_the_app_files_refuse_writes(client, url):
    assert client.post(url).status_code == 405


def test_signing_out_clears_what_the_browser_keeps(signed_in):
    response = signed_in.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_only_the_sign_out_itself_clears_the_site(signed_in, client):
    assert "Clear-Site-Data" not in signed_in.get("/accounts/logout/")
    assert "Clear-Site-Data" not in signed_in.get("/log/")
    assert "Clear-Site-Data" not in Client().post("/accounts/logout/")


def test_deleting_the_account_clears_what_the_browser_keeps(signed_in, user):
    reauthenticate(signed_in, user)

    refused = signed_in.post("/account/delete/", {"confirmation": "nope"})
    deleted = signed_in.post("/account/delete/", {"confirmation": "DELETE"})

    assert "Clear-Site-Data" not in refused
    assert deleted.status_code == 302
    assert deleted["Clear-Site-Data"] == '"cache", "storage"'


# The offline queue sends through the session, with the CSRF token and If-Match ------------


@pytest.fixture
def browser(user) -> Client:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    browser.get("/log/")  # sets the CSRF cookie, as any page with a form does
    return browser


def put(browser: Client, day: datetime.date, body: dict, **headers):
    return browser.put(
        f"/api/v1/entries/{day}/", json.dumps(body), content_type="application/json", **headers
    )


def test_a_session_write_without_the_csrf_token_is_refused(browser, user):
    response = put(browser, user.today(), {"stress": 3}, HTTP_IF_MATCH='""')

    assert response.status_code == 403
    assert not DailyEntry.objects.filter(user=user).exists()


def test_a_day_logged_offline_is_created_with_the_session_and_csrf_token(browser, user):
    token = browser.cookies["csrftoken"].value

    response = put(browser, user.today(), {"stress": 3}, HTTP_IF_MATCH='""', HTTP_X_CSRFTOKEN=token)

    assert response.status_code == 201
    assert DailyEntry.objects.get(user=user, day=user.today()).stress == 3


def test_a_day_logged_elsewhere_meanwhile_answers_412_and_keeps_the_other(browser, user):
    DailyEntryFactory(user=user, day=user.today(), stress=8)
    token = browser.cookies["csrftoken"].value

    response = put(browser, user.today(), {"stress": 3}, HTTP_IF_MATCH='""', HTTP_X_CSRFTOKEN=token)

    assert response.status_code == 412
    assert DailyEntry.objects.get(user=user, day=user.today()).stress == 8
