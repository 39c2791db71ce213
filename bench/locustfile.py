"""Simulated people for bench/load.sh, bench/faults.sh and bench/replica.sh.

Each simulated person signs in, then logs consecutive days (from yesterday backwards), turn about
through the web form and the API (PUT), now and then edits an earlier day (the form again, or an
API PATCH), and looks at trends and history. Every save is written to a journal in ACKS_DIR with
the values the day should now hold and whether Hearth acknowledged it (a redirect back to the
day, or a 200/201 whose body echoes the values), for bench/check_writes.py to compare with the
database. After a save the person sometimes (always with READ_OWN_WRITES=1) reads the day back
through the trends API and notes whether their save was there.

Signing in hashes a password on purpose slowly (Django's default hasher and cost), and every
person signs in once, while people are still being started: the requests made once everyone has
started, sign-ins apart, are written to ACKS_DIR/steady-*.json (their count, time span and
latencies) and ACKS_DIR/sign-ins-*.json, for bench/load.sh to report the steady state and the
sign-ins apart.

Environment: PEOPLE_FILE (from bench/seed_people.py), ACKS_DIR, READ_OWN_WRITES.
"""

import datetime
import itertools
import json
import os
import random
import re
import time
from collections import Counter

from locust import HttpUser, between, events
from locust.clients import HttpSession

with open(os.environ["PEOPLE_FILE"]) as people_file:
    PEOPLE = [json.loads(line) for line in people_file]
ACKS_DIR = os.environ["ACKS_DIR"]
READ_OWN_WRITES = os.environ.get("READ_OWN_WRITES") == "1"
FIELDS = ("stress", "fatigue", "flare_severity", "sleep_hours", "notes")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FRIENDLY_PAGE = "Hearth is back in a moment"
YESTERDAY = datetime.datetime.now(datetime.UTC).date() - datetime.timedelta(days=1)

next_person = itertools.count()
# Open for the whole run, line-buffered, so a save is on disk the moment it is acknowledged.
journal = open(os.path.join(ACKS_DIR, f"journal-{os.getpid()}.jsonl"), "a", buffering=1)  # noqa: SIM115
seen = {"statuses": Counter(), "unfriendly_503": 0, "own_write_checks": 0, "own_write_misses": 0}
SIGN_IN = "/accounts/login/"
# Once every person has started: when, and each later request's time and latency (ms).
steady = {"started": None, "times": [], "latencies": []}
sign_in_latencies: list[float] = []


@events.spawning_complete.add_listener
def start_steady_state(user_count, **kwargs) -> None:
    steady["started"] = time.time()


@events.request.add_listener
def time_request(name, response_time, **kwargs) -> None:
    if name == SIGN_IN:  # the POST, which hashes the password
        sign_in_latencies.append(response_time)
    elif not name.startswith(SIGN_IN) and steady["started"] is not None:
        steady["times"].append(time.time())
        steady["latencies"].append(response_time)


@events.request.add_listener
def count_status(name, response, exception, **kwargs) -> None:
    status = response.status_code if response is not None else 0
    seen["statuses"][f"{name} {status}"] += 1
    if status == 503:
        body = response.text
        friendly = FRIENDLY_PAGE in body or '"detail"' in body
        if not friendly or response.headers.get("Retry-After") is None:
            seen["unfriendly_503"] += 1


@events.quitting.add_listener
def write_summary(environment, **kwargs) -> None:
    with open(os.path.join(ACKS_DIR, f"summary-{os.getpid()}.json"), "w") as summary:
        json.dump(seen, summary)
    with open(os.path.join(ACKS_DIR, f"steady-{os.getpid()}.json"), "w") as figures:
        json.dump(steady, figures)
    with open(os.path.join(ACKS_DIR, f"sign-ins-{os.getpid()}.json"), "w") as figures:
        json.dump(sign_in_latencies, figures)


def random_values(person: str, day: datetime.date, sequence: int) -> dict:
    return {
        "stress": random.randint(0, 10),
        "fatigue": random.randint(0, 10),
        "flare_severity": random.choice([None, *range(11)]),
        "sleep_hours": random.randint(16, 40) / 4,
        # Unique per save, so an altered or swapped row can't pass for the right one.
        "notes": f"{person} {day} save {sequence}: ünïcødé ✓ <b>not bold</b>",
    }


class SignedIn(HttpUser):
    """Signs in and knows how to save and look; Person and Reader pick what they do."""

    abstract = True
    wait_time = between(0.2, 1.0)

    def on_start(self) -> None:
        self.person = PEOPLE[next(next_person) % len(PEOPLE)]
        self.name = self.person["email"].split("@")[0]
        self.api = HttpSession(
            base_url=self.host, request_event=self.environment.events.request, user=self
        )
        self.api.headers["Authorization"] = f"Bearer {self.person['token']}"
        self.days_logged = 0
        self.saved: dict[str, dict] = {}  # day -> values acknowledged last, if the last save was
        self.sequence = itertools.count()
        while not self.sign_in():
            time.sleep(5)  # during an outage; sign-in attempts are rate limited per address

    def browser(self, method: str, url: str, **kwargs):
        response = self.client.request(method, url, allow_redirects=False, **kwargs)
        # Hearth marks its cookies Secure (DEBUG off); this benchmark talks plain http locally.
        for cookie in self.client.cookies:
            cookie.secure = False
        return response

    def csrf_token(self, url: str, name: str) -> str | None:
        page = self.browser("GET", url, name=name)
        found = CSRF.search(page.text) if page.status_code == 200 else None
        return found[1] if found else None

    def sign_in(self) -> bool:
        token = self.csrf_token(SIGN_IN, f"{SIGN_IN} (form)")
        if token is None:
            return False
        response = self.browser(
            "POST",
            SIGN_IN,
            data={
                "login": self.person["email"],
                "password": self.person["password"],
                "csrfmiddlewaretoken": token,
            },
        )
        return response.status_code == 302

    def log_next_day(self) -> None:
        day = YESTERDAY - datetime.timedelta(days=self.days_logged)
        self.days_logged += 1
        if self.days_logged % 2:
            self.save_with_form(day)
        else:
            self.save_with_api_put(day)

    def edit_an_earlier_day(self) -> None:
        if not self.saved:
            return
        day = datetime.date.fromisoformat(random.choice(list(self.saved)))
        if random.random() < 0.5:
            self.save_with_form(day)
        else:
            self.save_with_api_patch(day)

    def view_trends(self) -> None:
        self.browser("GET", "/trends/?range=all", name="/trends/?range=all")
        self.api.get("/api/v1/trends/?range=90d", name="/api/v1/trends/?range=90d")

    def view_history(self) -> None:
        self.browser("GET", "/history/", name="/history/")

    def save_with_form(self, day: datetime.date) -> None:
        url = f"/log/{day}/"
        token = self.csrf_token(url, "/log/[day]/")
        if token is None:
            return
        sequence = next(self.sequence)
        values = random_values(self.name, day, sequence)
        posted = {name: "" if value is None else str(value) for name, value in values.items()}
        response = self.browser(
            "POST", url, name="/log/[day]/ POST", data={**posted, "csrfmiddlewaretoken": token}
        )
        acked = response.status_code == 302 and response.headers["Location"] == url
        self.record(day, "form", sequence, values, response.status_code, acked)

    def save_with_api_put(self, day: datetime.date) -> None:
        sequence = next(self.sequence)
        values = random_values(self.name, day, sequence)
        response = self.api_save("PUT", day, values, "/api/v1/entries/[day]/ PUT")
        self.record(day, "put", sequence, values, *self.api_ack(response, values))

    def save_with_api_patch(self, day: datetime.date) -> None:
        before = self.saved.get(str(day))
        if before is None:
            return
        sequence = next(self.sequence)
        change = {
            "stress": random.randint(0, 10),
            "notes": f"{self.name} {day} edit {sequence}: ünïcødé ✓",
        }
        values = {**before, **change}
        response = self.api_save("PATCH", day, change, "/api/v1/entries/[day]/ PATCH")
        self.record(day, "patch", sequence, values, *self.api_ack(response, values))

    def api_save(self, method: str, day: datetime.date, body: dict, name: str):
        try:
            return self.api.request(method, f"/api/v1/entries/{day}/", json=body, name=name)
        except OSError:
            return None

    @staticmethod
    def api_ack(response, values: dict) -> tuple[int, bool, bool]:
        """The status, whether the save was acknowledged, and whether the answer echoed it."""
        if response is None:
            return 0, False, True
        if response.status_code not in (200, 201):
            return response.status_code, False, True
        echoed = response.json()
        return response.status_code, True, all(echoed[name] == values[name] for name in FIELDS)

    def record(
        self, day, via: str, sequence: int, values: dict, status: int, acked: bool, echoed=True
    ) -> None:
        journal.write(
            json.dumps(
                {
                    "person": self.person["email"],
                    "day": str(day),
                    "via": via,
                    "sequence": sequence,
                    "values": values,
                    "status": status,
                    "acked": acked,
                    "echoed": echoed,
                }
            )
            + "\n"
        )
        if acked:
            self.saved[str(day)] = values
        else:
            self.saved.pop(str(day), None)  # unknown now: not edited until saved again
        if acked and (READ_OWN_WRITES or random.random() < 0.2):
            self.read_own_write(day, values)

    def read_own_write(self, day: datetime.date, values: dict) -> None:
        response = self.api.get(
            f"/api/v1/trends/?start={day}&end={day}", name="/api/v1/trends/ (own save)"
        )
        if response.status_code != 200:
            return
        seen["own_write_checks"] += 1
        shown = response.json()["series"]["measures"]["stress"]["values"][0]
        if shown != values["stress"]:
            seen["own_write_misses"] += 1


class Person(SignedIn):
    """Logs a day after day, edits some, and looks at trends and history."""

    tasks = {
        SignedIn.log_next_day: 6,
        SignedIn.edit_an_earlier_day: 2,
        SignedIn.view_trends: 2,
        SignedIn.view_history: 1,
    }


class Reader(SignedIn):
    """Someone who only looks (bench/replica.sh): their reads are the replica's to serve."""

    tasks = {SignedIn.view_trends: 2, SignedIn.view_history: 1}
