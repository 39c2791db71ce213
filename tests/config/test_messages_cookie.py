"""Messages such as "Added Methotrexate." name a person's health details: they wait on the
server, in the session, and never travel in a cookie of their own."""

from tests.pages import words


def test_adding_a_medication_sets_no_messages_cookie_yet_the_message_is_shown(signed_in):
    added = signed_in.post("/medications/", {"name": "Methotrexate", "started": "2026-01-05"})

    assert added.status_code == 302
    assert "messages" not in added.cookies
    shown = signed_in.get(added["Location"])
    assert "Added Methotrexate." in words(shown)
    assert "messages" not in shown.cookies
    assert "Added Methotrexate." not in words(signed_in.get(added["Location"]))
