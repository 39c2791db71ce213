import datetime

import pytest
from django.test import Client

from sharing.models import ShareLink
from tests.conftest import TODAY, reauthenticate
from tests.factories import DailyEntryFactory, MedicationFactory, SymptomFactory
from tracker.models import IntimacyBarrier, Symptom

ONE_DAY = datetime.timedelta(days=1)
# The link's period in the tests: November 2026 up to today (the stopped clock's 25 November).
START, END = datetime.date(2026, 11, 1), TODAY
FLARE_NOTE = "Planted note: knees hot and swollen after the dinner at Sam's"
OUTSIDE_NOTE = "Planted note from October, before the period"
OTHER_PERSONS_NOTE = "Grace's own flare note"
OWN_SYMPTOM = "Burning eyes"
MEDICATION = "Hydroxychloroquine"
BARRIER = "Body image"
INTIMATE_SYMPTOM = "Vaginal dryness"
# Words that name intimacy anywhere on a page or in its chart data.
INTIMACY_WORDS = ("intima", "sexual", "desire", "libido", "affection", BARRIER, INTIMATE_SYMPTOM)


def make_link(user, **fields) -> tuple[ShareLink, str]:
    """A link of the person's over the test period, 30 days to live, showing what fields say
    (the model's defaults otherwise)."""
    values = {"start": START, "end": END, "expires_in": datetime.timedelta(days=30), **fields}
    return ShareLink.objects.create_for(user, **values)


def shared_url(secret: str) -> str:
    return f"/s/{secret}/"


@pytest.fixture
def visitor() -> Client:
    """A browser without an account, such as a clinician's, beside the person's own."""
    return Client()


@pytest.fixture
def confirmed(signed_in, user):
    """Signed in, and the password confirmed a moment ago (as making a link requires)."""
    reauthenticate(signed_in, user)
    return signed_in


@pytest.fixture
def records(user, other_user):
    """Days in the period with a flare, a planted note, an own symptom and an intimacy answer
    (sexual activity, desire, a barrier and a sexual-health symptom); a day before the period
    with a note of its own; a medication; and another person's flare with a note."""
    burning = SymptomFactory(owner=user, name=OWN_SYMPTOM)
    dryness = Symptom.objects.get(name=INTIMATE_SYMPTOM)
    DailyEntryFactory(
        user=user, day=datetime.date(2026, 11, 10), flare_severity=8, stress=7, notes=FLARE_NOTE
    ).symptoms.set([burning])
    DailyEntryFactory(user=user, day=datetime.date(2026, 11, 11), flare_severity=6, stress=6)
    intimate = DailyEntryFactory(
        user=user,
        day=datetime.date(2026, 11, 20),
        sexual_activity="partnered",
        libido=4,
        physical_affection=True,
        flare_severity=1,
    )
    intimate.intimacy_barriers.set(IntimacyBarrier.objects.filter(name=BARRIER))
    intimate.symptoms.set([dryness, burning])
    DailyEntryFactory(
        user=user, day=datetime.date(2026, 10, 20), flare_severity=9, stress=10, notes=OUTSIDE_NOTE
    )
    MedicationFactory(user=user, name=MEDICATION, started=datetime.date(2026, 9, 1))
    DailyEntryFactory(
        user=other_user,
        day=datetime.date(2026, 11, 10),
        flare_severity=10,
        notes=OTHER_PERSONS_NOTE,
    )
    return user
