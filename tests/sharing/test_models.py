"""The database keeps a share link's promises, whatever path writes it."""

import datetime

import pytest
from django.db import IntegrityError

from sharing.models import SECTIONS
from tests.sharing.conftest import END, START, make_link

pytestmark = pytest.mark.usefixtures("clock")


@pytest.mark.parametrize(
    "fields",
    [
        dict.fromkeys(SECTIONS, False),
        {"start": END, "end": START},
        {"expires_in": datetime.timedelta(0)},
    ],
    ids=["shows nothing", "ends before it starts", "expires as it is made"],
)
def test_the_database_refuses_an_impossible_link(user, fields):
    with pytest.raises(IntegrityError):
        make_link(user, **fields)


def test_each_link_has_its_own_secret(user):
    secrets = {make_link(user)[1] for _ in range(20)}

    assert len(secrets) == 20
    assert all(len(secret) >= 43 for secret in secrets)  # 256 bits, URL-safe
