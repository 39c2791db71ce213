import datetime
import time

import factory
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import encrypt

from accounts.models import PRIVACY_VERSION, User
from tracker.models import DailyEntry, Medication, Symptom


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    time_zone = "Europe/London"
    consent_given_at = factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC))
    consent_version = PRIVACY_VERSION
    password = factory.django.Password("correct horse battery staple")


class DailyEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DailyEntry
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    day = factory.LazyAttribute(lambda entry: entry.user.today())
    stress = 4
    fatigue = 5
    flare_severity = 2


class SymptomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Symptom

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Own symptom {n}")


class MedicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Medication

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Medication {n}")
    dose = "15 mg weekly"
    started = factory.LazyAttribute(
        lambda medication: medication.user.today() - datetime.timedelta(days=30)
    )


TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str = TOTP_SECRET) -> str:
    """What an authenticator app set up with secret shows right now."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


class TotpAuthenticatorFactory(factory.django.DjangoModelFactory):
    """Two-factor on: an authenticator app set up with TOTP_SECRET."""

    class Meta:
        model = Authenticator

    user = factory.SubFactory(UserFactory)
    type = Authenticator.Type.TOTP
    data = factory.LazyFunction(lambda: {"secret": encrypt(TOTP_SECRET)})
