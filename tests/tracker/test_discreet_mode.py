"""Discreet mode, for when someone may see the screen: intimacy answers and markers stay hidden
until the person reveals them on that page; page titles and messages never name sexual activity,
in discreet mode or not."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import TODAY
from tests.factories import DailyEntryFactory, MedicationFactory
from tests.pages import ACTIVITY_MARK, page, trend_data, words
from tracker.models import DailyEntry, IntimacyBarrier, Symptom
from tracker.trends import periods, series

YESTERDAY = datetime.date(2026, 11, 24)
# Words that would tell an onlooker what the journal is about.
REVEALING = re.compile(r"\b(sex\w*|intima\w*|partner\w*|solo)\b", re.IGNORECASE)


pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def discreet(user):
    user.discreet_mode = True
    user.save()
    return user


@pytest.fixture
def intimate_day(user):
    entry = DailyEntryFactory(
        user=user,
        day=YESTERDAY,
        sexual_activity="partnered",
        intensity="gentle",
        satisfaction=4,
        physical_affection=True,
        libido=4,
        stress=6,
    )
    entry.intimacy_barriers.set([IntimacyBarrier.objects.get(slug="pain")])
    return entry


# The show/hide sections of discreet mode (not, say, the site's menu).
PRIVATE_SECTION = re.compile(r'<details class="private-answers.*?</details>', flags=re.S)


def details_blocks(response) -> list[str]:
    return PRIVATE_SECTION.findall(page(response))


def outside_details(response) -> str:
    return PRIVATE_SECTION.sub("", page(response))


class _FormReader(HTMLParser):
    """What a browser sends for the log form: every named control's current value, whether or
    not it sits in a closed <details>."""

    def __init__(self) -> None:
        super().__init__()
        self.data: list[tuple[str, str]] = []
        self._in_form = False
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "form" and "log-form" in (attributes.get("class") or ""):
            self._in_form = True
        if not self._in_form or "name" not in attributes:
            return
        kind = attributes.get("type", "text")
        if tag == "input" and kind in {"radio", "checkbox"}:
            if "checked" in attributes:
                self.data.append((attributes["name"], attributes.get("value", "on")))
        elif tag == "input" and kind != "submit":
            self.data.append((attributes["name"], attributes.get("value") or ""))
        elif tag == "textarea":
            self._textarea = attributes["name"]
            self.data.append((self._textarea, ""))

    def handle_data(self, data: str) -> None:
        if self._textarea:
            name, text = self.data.pop()
            self.data.append((name, text + data))

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        if tag == "form":
            self._in_form = False


def browser_post_data(response) -> dict[str, list[str]]:
    reader = _FormReader()
    reader.feed(response.content.decode())
    posted: dict[str, list[str]] = {}
    for name, value in reader.data:
        posted.setdefault(name, []).append(value)
    return posted


# The log form ---------------------------------------------------------------------------------


def test_the_log_keeps_private_answers_closed_in_discreet_mode(signed_in, discreet):
    response = signed_in.get("/log/")

    private, _symptoms = details_blocks(response)
    assert "<details" in private and " open" not in private.split(">", 1)[0]
    assert "Show private answers" in private
    assert 'name="sexual_activity"' in private
    assert 'name="libido"' in private
    assert 'name="intimacy_barriers"' in private
    assert 'name="sexual_activity"' not in outside_details(response)
    assert 'name="stress"' in outside_details(response)


def test_the_log_shows_private_answers_openly_without_discreet_mode(signed_in):
    response = signed_in.get("/log/")

    assert details_blocks(response) == []
    assert "Show private answers" not in page(response)
    assert 'name="sexual_activity"' in page(response)


def test_saving_a_day_in_discreet_mode_keeps_its_private_answers(
    signed_in, user, discreet, intimate_day
):
    form = signed_in.get(f"/log/{YESTERDAY}/")
    posted = browser_post_data(form)
    assert posted["sexual_activity"] == ["partnered"]  # sent although the section is closed
    posted["stress"] = ["2"]

    response = signed_in.post(f"/log/{YESTERDAY}/", posted)

    assert response.status_code == 302
    saved = DailyEntry.objects.get(user=user, day=YESTERDAY)
    assert saved.stress == 2
    assert saved.sexual_activity == "partnered"
    assert saved.intensity == "gentle"
    assert saved.satisfaction == 4
    assert saved.physical_affection is True
    assert saved.libido == 4
    assert [barrier.slug for barrier in saved.intimacy_barriers.all()] == ["pain"]


def test_a_refused_private_answer_opens_the_private_section(signed_in, discreet):
    response = signed_in.post("/log/", {"intensity": "gentle", "stress": "3"})

    assert response.status_code == 200
    private, symptoms = details_blocks(response)
    assert " open" in private.split(">", 1)[0]
    assert " open" not in symptoms.split(">", 1)[0]


# History and insights -------------------------------------------------------------------------


def test_history_hides_each_days_private_answers_in_discreet_mode(
    signed_in, discreet, intimate_day
):
    response = signed_in.get("/history/")

    [private] = details_blocks(response)
    assert "Intimacy: with a partner" in private
    assert "Affection: yes" in private
    assert "Held back by: pain" in private
    assert "Show private answers" in private
    visible = outside_details(response)
    assert "Stress 6/10" in visible
    assert "Intimacy" not in visible and "Affection" not in visible


def test_history_shows_private_answers_without_discreet_mode(signed_in, intimate_day):
    response = signed_in.get("/history/")

    assert details_blocks(response) == []
    assert "Intimacy: with a partner" in words(response)
    assert "Stress 6/10" in words(response)


def test_history_in_discreet_mode_shows_nothing_of_another_persons_days(
    signed_in, discreet, other_user
):
    DailyEntryFactory(user=other_user, day=YESTERDAY, sexual_activity="solo")

    response = signed_in.get("/history/")

    assert details_blocks(response) == []
    assert "No days logged" in words(response)


def test_insights_keeps_its_answers_closed_in_discreet_mode(signed_in, discreet):
    response = signed_in.get("/insights/")

    [private] = details_blocks(response)
    assert "Show private answers" in private
    assert 'class="findings"' in private
    assert not REVEALING.search(re.sub(r"<[^>]+>", " ", outside_details(response)))


def test_insights_shows_its_answers_openly_without_discreet_mode(signed_in):
    response = signed_in.get("/insights/")

    assert details_blocks(response) == []
    assert "after intimacy" in words(response)


# Trends ---------------------------------------------------------------------------------------


def private_elements(response) -> list[str]:
    return re.findall(r"<[^>]*\bdata-private[ >][^>]*>", page(response))


def test_trends_hides_private_markers_until_asked_in_discreet_mode(
    signed_in, discreet, intimate_day
):
    response = signed_in.get("/trends/")
    html = page(response)

    assert re.search(
        r"<button [^>]*data-private-toggle[^>]*hidden[^>]*>Show private markers<", html
    )
    hidden = private_elements(response)
    assert hidden and all(" hidden" in tag for tag in hidden)
    assert re.search(
        r'<figure [^>]*aria-labelledby="chart-intimacy-title"[^>]*data-private hidden', html
    )
    assert re.search(r'<tr data-private hidden>\s*<th scope="row">Desire</th>', html)
    # The calendar shows yesterday's date, not its mark, and a neutral spoken label.
    assert re.search(
        r'aria-label="24 November: flare 2" data-private-label="24 November: flare 2, sexual '
        r'activity, affection"><span data-public>24</span><span data-private hidden>'
        + re.escape(ACTIVITY_MARK)
        + "</span>",
        html,
    )


def test_trends_shows_every_marker_without_discreet_mode(signed_in, intimate_day):
    response = signed_in.get("/trends/")

    assert private_elements(response) == []
    assert "data-private-toggle" not in page(response)
    assert (
        f'aria-label="24 November: flare 2, sexual activity, affection">{ACTIVITY_MARK}</a>'
        in page(response)
    )


def test_turning_discreet_mode_on_changes_the_cached_trends_page(signed_in, user, intimate_day):
    assert private_elements(signed_in.get("/trends/")) == []

    user.discreet_mode = True
    user.save()

    assert private_elements(signed_in.get("/trends/")) != []


# The profile setting --------------------------------------------------------------------------


def test_discreet_mode_and_the_idle_timeout_are_set_on_the_profile(signed_in, user):
    form = signed_in.get("/account/profile/")
    assert "Hide intimacy answers and chart markers" in words(form)
    assert "pages with your health data ask for your password or passkey again" in words(form)

    response = signed_in.post(
        "/account/profile/",
        {"time_zone": "Europe/London", "discreet_mode": "on", "idle_timeout_minutes": "15"},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.discreet_mode is True
    assert user.idle_timeout_minutes == 15


def test_an_idle_time_outside_the_list_is_refused_next_to_the_field(signed_in, user):
    response = signed_in.post(
        "/account/profile/",
        {"time_zone": "Europe/London", "display_name": "Ada", "idle_timeout_minutes": "5"},
    )

    assert response.status_code == 200
    assert "Choose one of the times in the list" in words(response)
    assert 'name="display_name" value="Ada"' in page(response)
    user.refresh_from_db()
    assert user.idle_timeout_minutes == 720


def test_a_profile_saved_without_an_idle_time_keeps_the_current_one(signed_in, user):
    user.idle_timeout_minutes = 60
    user.save()

    signed_in.post("/account/profile/", {"time_zone": "Europe/London"})

    user.refresh_from_db()
    assert user.idle_timeout_minutes == 60


# Titles and messages never name sexual activity ------------------------------------------------


def _url_names(patterns, namespaces=()):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield ":".join((*namespaces, pattern.name))


def every_page(samples: dict[str, dict]) -> list[str]:
    """The path of every named page that needs no arguments, plus the sampled ones."""
    paths = set()
    for name in _url_names(get_resolver().url_patterns):
        if name.startswith("admin:"):
            continue
        try:
            paths.add(reverse(name, kwargs=samples.get(name)))
        except NoReverseMatch:
            continue  # needs a key from an email, or an id of something not made here
    return sorted(paths)


def title(response) -> str:
    match = re.search(r"<title>(.*?)</title>", page(response), flags=re.S)
    return " ".join(match[1].split()) if match else ""


@pytest.mark.parametrize("discreet_mode", [False, True])
def test_no_page_title_names_sexual_activity(signed_in, user, intimate_day, discreet_mode):
    user.discreet_mode = discreet_mode
    user.save()
    medication = MedicationFactory(user=user)
    samples = {
        "tracker:log_day": {"day": YESTERDAY.isoformat()},
        "tracker:delete_day": {"day": YESTERDAY.isoformat()},
        "tracker:trends_table": {"measure": "stress"},
        "tracker:edit_medication": {"medication_id": medication.pk},
    }
    titles = {}
    for path in every_page(samples):
        response = signed_in.get(path, follow=True)
        if response.get("Content-Type", "").startswith("text/html"):
            titles[path] = title(response)

    for path in (
        "/log/",
        f"/log/{YESTERDAY}/",
        "/history/",
        "/trends/",
        "/insights/",
        "/report/",
        "/account/profile/",
        "/account/security/",
    ):
        assert titles.get(path), f"{path} was not visited or has no title"
    named = {path: text for path, text in titles.items() if REVEALING.search(text)}
    assert named == {}


def test_no_signed_out_page_title_names_sexual_activity(client, db):
    titles = {}
    for path in every_page({}):
        response = client.get(path, follow=True)
        if response.get("Content-Type", "").startswith("text/html"):
            titles[path] = title(response)

    assert titles["/accounts/login/"] and titles["/accounts/signup/"]
    assert {path: text for path, text in titles.items() if REVEALING.search(text)} == {}


def test_no_message_after_a_save_or_delete_names_sexual_activity(signed_in, user):
    pain = IntimacyBarrier.objects.get(slug="pain")
    full_day = {
        "sexual_activity": "both",
        "intensity": "vigorous",
        "satisfaction": "5",
        "physical_affection": "True",
        "libido": "5",
        "intimacy_barriers": [pain.pk],
        "stress": "3",
    }
    responses = [
        signed_in.post("/log/", full_day, follow=True),
        signed_in.post(f"/log/{YESTERDAY}/", full_day, follow=True),
        signed_in.post("/log/", {"intensity": "gentle"}, follow=True),  # refused
        signed_in.post(f"/log/{YESTERDAY}/delete/", follow=True),
        signed_in.post("/symptoms/", {"name": "Dry eyes"}, follow=True),
        signed_in.post(
            "/medications/", {"name": "Methotrexate", "started": "2026-11-01"}, follow=True
        ),
        signed_in.post("/account/profile/", {"time_zone": "Europe/London"}, follow=True),
        signed_in.get("/trends/?range=nonsense", follow=True),
    ]
    shown = [str(message) for response in responses for message in response.context["messages"]]

    assert "Saved today." in shown and "Deleted your log for yesterday." in shown
    assert len(shown) >= 7
    assert [message for message in shown if REVEALING.search(message)] == []


# Sexual-health symptoms, and the insights that involve intimacy ---------------------------------


class _VisibleText(HTMLParser):
    """The text a person sees before showing anything: not what is hidden, nor scripts, nor the
    inside of a closed <details> other than its summary."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str]] = []  # (tag, "shown", "hidden" or "closed")
        self.parts: list[str] = []

    def _state(self) -> str:
        return self.stack[-1][1] if self.stack else "shown"

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.VOID:
            return
        attributes = dict(attrs)
        state = self._state()
        if state == "closed":
            state = "shown" if tag == "summary" else "hidden"
        if "hidden" in attributes or tag in {"script", "style"}:
            state = "hidden"
        if tag == "details" and "open" not in attributes and state == "shown":
            state = "closed"
        self.stack.append((tag, state))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID or tag not in [open_tag for open_tag, _ in self.stack]:
            return
        while self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self._state() == "shown":
            self.parts.append(data)


def visible_text(response) -> str:
    reader = _VisibleText()
    reader.feed(response.content.decode())
    return " ".join(" ".join(reader.parts).split())


def checkbox_named(html: str, label: str) -> str:
    """The symptom checkbox (<input>) whose label is `label`."""
    return re.search(
        rf'<label[^>]*>\s*(<input[^>]*name="symptoms"[^>]*>)\s*{re.escape(label)}\s*</label>', html
    )[1]


@pytest.fixture
def erectile_difficulty(db):
    return Symptom.objects.get(owner=None, name="Erectile difficulty")


@pytest.fixture
def joint_pain(db):
    return Symptom.objects.get(owner=None, name="Joint pain")


@pytest.fixture
def symptom_days(user, erectile_difficulty, joint_pain):
    """Five days with erectile difficulty ticked, the last two with joint pain as well."""
    for days_ago in range(1, 6):
        entry = DailyEntryFactory(
            user=user, day=TODAY - datetime.timedelta(days=days_ago), flare_severity=3
        )
        entry.symptoms.set(
            [erectile_difficulty, joint_pain] if days_ago <= 2 else [erectile_difficulty]
        )


def test_the_catalogue_marks_its_sexual_health_symptoms_intimate(db):
    intimate = Symptom.objects.filter(intimate=True).values_list("owner", "name")

    assert sorted(intimate) == [(None, "Erectile difficulty"), (None, "Vaginal dryness")]


def test_a_persons_own_symptoms_are_not_intimate(signed_in, user):
    signed_in.post("/symptoms/", {"name": "Sore after sex"})

    assert Symptom.objects.get(owner=user).intimate is False


def test_the_log_keeps_a_ticked_intimate_symptom_closed_in_discreet_mode(
    signed_in, discreet, symptom_days
):
    response = signed_in.get(f"/log/{YESTERDAY}/")

    _intimacy, symptoms = details_blocks(response)
    assert " open" not in symptoms.split(">", 1)[0]
    assert "checked" in checkbox_named(symptoms, "Erectile difficulty")
    assert "checked" in checkbox_named(outside_details(response), "Joint pain")
    assert "Erectile difficulty" not in visible_text(response)
    assert "Vaginal dryness" not in visible_text(response)
    assert "Joint pain" in visible_text(response)
    control = re.sub(r"<[^>]+>", " ", symptoms.split("</summary>", 1)[0])
    assert (
        " ".join(control.split()) == "Show private answers Hide private answers among the symptoms"
    )


def test_the_log_lists_every_symptom_together_without_discreet_mode(signed_in, symptom_days):
    response = signed_in.get(f"/log/{YESTERDAY}/")

    assert details_blocks(response) == []
    assert "checked" in checkbox_named(page(response), "Erectile difficulty")
    assert "Erectile difficulty" in visible_text(response)


def test_saving_a_day_in_discreet_mode_keeps_its_intimate_symptoms(
    signed_in, user, discreet, symptom_days, erectile_difficulty, joint_pain
):
    posted = browser_post_data(signed_in.get(f"/log/{YESTERDAY}/"))
    posted["stress"] = ["2"]

    response = signed_in.post(f"/log/{YESTERDAY}/", posted)

    assert response.status_code == 302
    saved = DailyEntry.objects.get(user=user, day=YESTERDAY)
    assert (saved.stress, set(saved.symptoms.all())) == (2, {erectile_difficulty, joint_pain})


def test_the_trends_summary_hides_intimate_symptoms_in_discreet_mode(
    signed_in, discreet, symptom_days
):
    response = signed_in.get("/trends/")

    shown = visible_text(response)
    assert "Most frequent symptoms Joint pain: 2 days" in shown
    assert "Erectile difficulty" not in shown
    intimacy = re.search(
        r"<div data-private hidden>\s*<h3>Intimacy</h3>.*?</div>", page(response), re.S
    )
    assert "<li>Erectile difficulty: 5 days</li>" in intimacy[0]


def test_the_trends_summary_shows_intimate_symptoms_with_intimacy_without_discreet_mode(
    signed_in, symptom_days
):
    shown = visible_text(signed_in.get("/trends/"))

    assert "Days with physical affection: 0 Erectile difficulty: 5 days" in shown
    assert "Most frequent symptoms Joint pain: 2 days" in shown


def test_the_chart_data_never_counts_an_intimate_symptom_among_the_most_frequent(
    signed_in, discreet, symptom_days
):
    summary = trend_data(signed_in.get("/trends/"))["summary"]

    assert summary["top_symptoms"] == [{"name": "Joint pain", "days": 2}]
    assert summary["intimate_symptoms"] == [{"name": "Erectile difficulty", "days": 5}]


def test_the_five_most_frequent_symptoms_are_five_that_are_not_intimate(user, other_user):
    names = ["Rash", "Fever", "Headache", "Swelling", "Brain fog", "Mouth ulcers"]
    intimate = ["Erectile difficulty", "Vaginal dryness"]
    by_name = {symptom.name: symptom for symptom in Symptom.objects.filter(owner=None)}
    for days_ago in range(7):
        # Each intimate symptom every day; the others on fewer days the later they are named.
        ticked = [*intimate, *names[: 6 - days_ago]]
        entry = DailyEntryFactory(user=user, day=TODAY - datetime.timedelta(days=days_ago))
        entry.symptoms.set(by_name[name] for name in ticked)
    DailyEntryFactory(user=other_user, day=TODAY).symptoms.set([by_name["Vaginal dryness"]])
    period = periods.resolve_period({"range": "30d"}, user)

    summary = series._summary(user, period)

    assert [symptom["name"] for symptom in summary["top_symptoms"]] == names[:5]
    assert summary["intimate_symptoms"] == [
        {"name": "Erectile difficulty", "days": 7},
        {"name": "Vaginal dryness", "days": 7},
    ]


def test_the_calendar_shows_no_mark_for_a_day_with_only_intimate_symptoms(
    signed_in, discreet, symptom_days
):
    html = page(signed_in.get("/trends/"))

    assert '<a href="/log/2026-11-20/" aria-label="20 November: flare 3">20</a>' in html


def test_history_hides_each_days_intimate_symptoms_in_discreet_mode(
    signed_in, discreet, symptom_days
):
    response = signed_in.get("/history/")

    private = details_blocks(response)
    assert len(private) == 5
    assert all("Sexual-health symptoms: erectile difficulty" in day for day in private)
    shown = visible_text(response)
    assert "Symptoms: Joint pain" in shown
    assert "rectile" not in shown


def test_history_shows_intimate_symptoms_with_the_private_answers_without_discreet_mode(
    signed_in, symptom_days
):
    shown = visible_text(signed_in.get("/history/"))

    yesterday = shown.split("Tuesday 24 November", 2)[1]
    assert yesterday.index("Sexual-health symptoms: erectile difficulty") < yesterday.index(
        "Symptoms: Joint pain"
    )


def test_insights_shows_the_questions_without_intimacy_in_discreet_mode(signed_in, discreet):
    response = signed_in.get("/insights/")

    shown = visible_text(response)
    assert "Does stress on one day go with my flare the next day?" in shown
    assert "Does how well I slept go with that day's flare?" in shown
    assert "How to read this" in shown
    assert not REVEALING.search(shown)
    [private] = details_blocks(response)
    assert private.count('<li class="finding') == 5
    assert "Is my stress different the day after physical affection?" in private


def test_insights_keeps_the_order_of_the_questions_without_discreet_mode(signed_in):
    response = signed_in.get("/insights/")

    ids = re.findall(r'<li class="finding[^"]*" id="([a-z0-9_]+)"', page(response))
    assert ids[0] == "intimacy_next_day_stress"
    assert ids[-2:] == ["stress_next_day_flare", "sleep_quality_same_day_flare"]


def test_the_report_leaves_intimate_symptoms_out_unless_intimacy_is_included(
    signed_in, discreet, symptom_days
):
    dates = {"start": "2026-11-01", "end": "2026-11-25"}
    left_out = signed_in.get("/report/", dates)
    included = signed_in.get("/report/", {**dates, "include_intimacy": "on"})

    assert "Joint pain: 2 days" in words(left_out)
    assert "rectile" not in page(left_out)
    assert "Sexual-health symptoms: erectile difficulty (5 days)." in words(included)


def test_another_persons_intimate_symptoms_are_never_shown(
    signed_in, discreet, other_user, erectile_difficulty
):
    DailyEntryFactory(user=other_user, day=YESTERDAY).symptoms.set([erectile_difficulty])

    for path in (
        "/trends/",
        "/history/",
        "/report/?start=2026-11-01&end=2026-11-25&include_intimacy=on",
    ):
        assert "rectile" not in page(signed_in.get(path)), path


def test_a_day_changed_elsewhere_keeps_its_intimacy_answers_closed_in_discreet_mode(
    signed_in, discreet, intimate_day, freeze_time
):
    first_tab = signed_in.get(f"/log/{YESTERDAY}/")
    version = re.search(r'name="version" value="([^"]*)"', page(first_tab)).group(1)
    freeze_time("2026-11-25T12:45:00+00:00")  # the other tab saves a little later
    signed_in.post(f"/log/{YESTERDAY}/", {"version": version, "stress": "8", "libido": "2"})
    erectile = Symptom.objects.get(name="Erectile difficulty")

    stale = signed_in.post(
        f"/log/{YESTERDAY}/",
        {"version": version, "stress": "3", "libido": "5", "symptoms": [erectile.pk]},
    )

    assert "This day changed while you were editing" in words(stale)
    comparison = page(stale).split("changed-elsewhere-heading", 1)[1].split("</section>", 1)[0]
    hidden = "".join(PRIVATE_SECTION.findall(comparison))
    shown = PRIVATE_SECTION.sub("", comparison)
    assert "Stress" in shown
    assert "Desire" not in shown and "Erectile difficulty" not in shown
    assert "Desire" in hidden and "Erectile difficulty" in hidden


def test_a_day_changed_elsewhere_shows_every_answer_without_discreet_mode(
    signed_in, intimate_day, freeze_time
):
    first_tab = signed_in.get(f"/log/{YESTERDAY}/")
    version = re.search(r'name="version" value="([^"]*)"', page(first_tab)).group(1)
    freeze_time("2026-11-25T12:45:00+00:00")  # the other tab saves a little later
    signed_in.post(f"/log/{YESTERDAY}/", {"version": version, "stress": "8", "libido": "2"})

    stale = signed_in.post(f"/log/{YESTERDAY}/", {"version": version, "stress": "3", "libido": "5"})

    comparison = page(stale).split("changed-elsewhere-heading", 1)[1].split("</section>", 1)[0]
    assert not PRIVATE_SECTION.findall(comparison)
    assert "Desire" in comparison and "Stress" in comparison
