"""Every API address that answers with a person's records carries @shows_health_data, so an idle
browser session is asked who it is again before reading them. The few left open answer the same
to everyone: /api/v1/conditions/ is the shared catalogue of conditions, not the person's own
(those are in /api/v1/me/, which is marked)."""

import datetime

from django.urls import ResolverMatch, URLPattern, URLResolver

from accounts.models import Condition
from api import urls as api_urls
from config.view_marks import is_marked
from tests.factories import UserFactory

START = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=datetime.UTC)

# Answers that hold nothing of any person's: the catalogue, the schema and its docs page, and
# the API's 404 for addresses it does not know.
SAME_FOR_EVERYONE = {"condition-list", "schema", "docs", None}


def api_patterns(patterns=api_urls.urlpatterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from api_patterns(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            yield pattern


def test_every_api_address_with_a_persons_records_carries_the_mark():
    unmarked = {
        pattern.name
        for pattern in api_patterns()
        if not is_marked(ResolverMatch(pattern.callback, (), {}), "shows_health_data")
    }

    assert unmarked == SAME_FOR_EVERYONE


def test_the_conditions_list_is_the_same_catalogue_whatever_the_person_chose(bearer, db):
    with_lupus = UserFactory(other_condition="Behçet's")
    with_lupus.conditions.set(Condition.objects.filter(slug="lupus"))
    with_none = UserFactory()

    lupus_answer = bearer(with_lupus).get("/api/v1/conditions/").json()
    none_answer = bearer(with_none).get("/api/v1/conditions/").json()

    assert lupus_answer == none_answer
    assert "Behçet" not in str(lupus_answer)


def test_an_idle_browser_still_reads_the_catalogue_but_not_its_own_conditions(
    freeze_time, client, user
):
    user.idle_timeout_minutes = 15
    user.save()
    freeze_time(START)
    client.force_login(user)
    client.get("/")
    freeze_time(START + datetime.timedelta(minutes=16))

    assert client.get("/api/v1/conditions/").status_code == 200
    assert client.get("/api/v1/me/").status_code == 401
