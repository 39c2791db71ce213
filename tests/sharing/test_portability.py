"""Share links and the person's data: the export holds each link's settings but never its
secret or passcode; deleting the account ends every link."""

import json

import pytest

from portability import deletion
from sharing.models import ShareLink, ShareLinkOpening
from tests.conftest import reauthenticate
from tests.sharing.conftest import make_link, shared_url

pytestmark = pytest.mark.usefixtures("clock")


def test_the_export_has_each_links_settings_and_never_its_secret(signed_in, user):
    link, secret = make_link(user, label="Dr Okafor", passcode="heron", show_notes=True)
    link.revoke()
    reauthenticate(signed_in, user)

    response = signed_in.get("/account/data/export.json")
    text = b"".join(response.streaming_content).decode()

    exported = json.loads(text)["share_links"]
    assert exported == [
        {
            "label": "Dr Okafor",
            "start": "2026-11-01",
            "end": "2026-11-25",
            "show_summary": True,
            "show_charts": True,
            "show_flares": True,
            "show_symptoms": True,
            "show_medications": True,
            "show_insights": True,
            "show_notes": True,
            "show_intimacy": False,
            "created_at": "2026-11-25T12:00:00+00:00",
            "expires_at": "2026-12-25T12:00:00+00:00",
            "revoked_at": "2026-11-25T12:00:00+00:00",
        }
    ]
    assert secret not in text
    assert link.digest not in text
    assert link.passcode_hash not in text and "heron" not in text


def test_deleting_the_account_ends_every_link_and_its_log(client, user):
    _, secret = make_link(user)
    client.get(shared_url(secret))

    deletion.delete_account(user)

    assert client.get(shared_url(secret)).status_code == 404
    assert not ShareLink.objects.exists()
    assert not ShareLinkOpening.objects.exists()
