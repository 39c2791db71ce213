"""The database itself refuses impossible days, whatever path the values come from."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from accounts.models import Condition
from tests.factories import DailyEntryFactory, SymptomFactory, UserFactory
from tracker.models import DailyEntry, IntimacyBarrier, Symptom

DAY = datetime.date(2026, 11, 20)


def refused_by(constraint: str, **values) -> None:
    """Assert that saving an entry with these values breaks the named database constraint."""
    user = UserFactory()
    with pytest.raises(IntegrityError) as refusal, transaction.atomic():
        DailyEntry.objects.create(user=user, day=DAY, **values)
    assert constraint in str(refusal.value)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("values", "constraint"),
    [
        ({"stress": 11}, "entry_stress_0_10"),
        ({"fatigue": 11}, "entry_fatigue_0_10"),
        ({"flare_severity": 11}, "entry_flare_severity_0_10"),
        ({"sexual_activity": "solo", "discomfort": 11}, "entry_discomfort_0_10"),
        ({"sexual_activity": "solo", "satisfaction": 0}, "entry_satisfaction_1_5"),
        ({"sexual_activity": "solo", "satisfaction": 6}, "entry_satisfaction_1_5"),
        ({"libido": 0}, "entry_libido_1_5"),
        ({"libido": 6}, "entry_libido_1_5"),
        ({"sleep_quality": 0}, "entry_sleep_quality_1_5"),
        ({"sleep_quality": 6}, "entry_sleep_quality_1_5"),
        ({"sleep_hours": Decimal("24.25")}, "entry_sleep_hours_quarters_0_24"),
        ({"sleep_hours": Decimal("7.3")}, "entry_sleep_hours_quarters_0_24"),
        ({"sleep_hours": Decimal("-1")}, "entry_sleep_hours_quarters_0_24"),
        ({"sexual_activity": "dancing"}, "entry_sexual_activity_known"),
        ({"sexual_activity": "solo", "intensity": "extreme"}, "entry_intensity_known"),
    ],
    ids=lambda item: (
        ",".join(f"{k}={str(v)[:8]}" for k, v in item.items()) if isinstance(item, dict) else item
    ),
)
def test_the_database_refuses_a_value_outside_its_range(values, constraint):
    refused_by(constraint, **values)


@pytest.mark.django_db
@pytest.mark.parametrize("activity", ["none", None])
@pytest.mark.parametrize(
    "detail",
    [{"intensity": "gentle"}, {"satisfaction": 4}, {"discomfort": 0}],
    ids=lambda d: next(iter(d)),
)
def test_the_database_refuses_activity_details_without_an_activity(activity, detail):
    refused_by("entry_activity_details_need_activity", sexual_activity=activity, **detail)


@pytest.mark.django_db
def test_save_day_cannot_bypass_the_database_ranges(user):
    with pytest.raises(IntegrityError) as refusal, transaction.atomic():
        DailyEntry.objects.save_day(user, DAY, {"stress": 11})
    assert "entry_stress_0_10" in str(refusal.value)


@pytest.mark.django_db
def test_the_extremes_of_every_range_are_accepted(user):
    entry = DailyEntry.objects.create(
        user=user,
        day=DAY,
        sexual_activity="both",
        intensity="vigorous",
        satisfaction=5,
        discomfort=10,
        libido=1,
        stress=0,
        fatigue=10,
        flare_severity=0,
        sleep_hours=Decimal("24"),
        sleep_quality=5,
        notes="x" * 2000,
    )
    DailyEntry.objects.create(user=user, day=DAY - datetime.timedelta(days=1), sleep_hours=0)

    entry.refresh_from_db()
    assert entry.sleep_hours == Decimal("24")
    assert len(entry.notes) == 2000


@pytest.mark.django_db
def test_a_person_has_at_most_one_entry_per_day(user):
    DailyEntryFactory(user=user, day=DAY)

    with pytest.raises(IntegrityError) as refusal, transaction.atomic():
        DailyEntry.objects.create(user=user, day=DAY, stress=1)

    assert "entry_one_per_user_day" in str(refusal.value)
    assert DailyEntry.objects.for_user(user).count() == 1


@pytest.mark.django_db
def test_two_people_can_each_log_the_same_day(user, other_user):
    DailyEntryFactory(user=user, day=DAY)
    DailyEntryFactory(user=other_user, day=DAY)

    assert DailyEntry.objects.filter(day=DAY).count() == 2


@pytest.mark.django_db
def test_an_entry_with_nothing_filled_in_is_stored_as_not_logged(user):
    DailyEntry.objects.create(user=user, day=DAY)

    entry = DailyEntry.objects.get(user=user, day=DAY)
    assert entry.stress is None
    assert entry.sleep_hours is None
    assert entry.sexual_activity is None
    assert entry.physical_affection is None
    assert entry.notes == ""


@pytest.mark.django_db
def test_a_person_cannot_have_two_symptoms_whose_names_differ_only_in_case(user):
    SymptomFactory(owner=user, name="Hives")

    with pytest.raises(IntegrityError) as refusal, transaction.atomic():
        Symptom.objects.create(owner=user, name="hIVES")

    assert "symptom_name_unique_per_owner" in str(refusal.value)


@pytest.mark.django_db
def test_the_catalogue_cannot_hold_the_same_symptom_twice_ignoring_case():
    with pytest.raises(IntegrityError) as refusal, transaction.atomic():
        Symptom.objects.create(owner=None, name="joint PAIN")

    assert "symptom_catalogue_name_unique" in str(refusal.value)


@pytest.mark.django_db
def test_a_symptom_needs_a_name(user):
    with pytest.raises(IntegrityError) as refusal, transaction.atomic():
        Symptom.objects.create(owner=user, name="")

    assert "symptom_name_not_empty" in str(refusal.value)


@pytest.mark.django_db
def test_two_people_may_each_have_a_symptom_with_the_same_name(user, other_user):
    SymptomFactory(owner=user, name="Hives")
    SymptomFactory(owner=other_user, name="Hives")

    assert Symptom.objects.filter(name="Hives").count() == 2


@pytest.mark.django_db
def test_available_symptoms_are_the_catalogue_and_the_persons_own_only(user, other_user):
    own = SymptomFactory(owner=user, name="Hives")
    someone_elses = SymptomFactory(owner=other_user, name="Hair loss")

    available = set(Symptom.objects.available_to(user))

    catalogue = set(Symptom.objects.filter(owner__isnull=True))
    assert catalogue, "the catalogue migration should have loaded shared symptoms"
    assert available == catalogue | {own}
    assert someone_elses not in available


def test_entries_are_found_by_person_through_the_person_and_day_index_alone(db):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, DailyEntry._meta.db_table)
    indexed = {
        tuple(details["columns"])
        for details in constraints.values()
        if details["index"] or details["unique"] or details["primary_key"]
    }

    # No index on user_id by itself: the planner preferred it and then sorted a person's days.
    assert indexed == {("id",), ("user_id", "day")}


@pytest.mark.django_db
def test_conditions_and_intimacy_barriers_read_as_their_names_in_catalogue_order():
    conditions = list(Condition.objects.all())
    barriers = list(IntimacyBarrier.objects.all())

    assert [str(c) for c in conditions] == [c.name for c in conditions]
    assert conditions == sorted(conditions, key=lambda c: (c.position, c.name))
    assert [str(b) for b in barriers] == [b.name for b in barriers]
    assert barriers == sorted(barriers, key=lambda b: (b.position, b.name))
    assert Condition._meta.db_table == "accounts_condition"
    assert IntimacyBarrier._meta.db_table == "tracker_intimacybarrier"
