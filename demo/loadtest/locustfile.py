"""The scenario `manage.py loadtest` runs with locust; never imported by Django.

Each simulated user is a practitioner's browser: it logs in once through the login form,
then browses the clinic's pages without pausing. Between page views, patients check in
from their phones through their links (a new cookie jar for each patient), and the
practitioner writes treatment notes for the same patients. The task weights: page views
weigh 9 in all, check-ins 3 (each the form, then the POST), notes 2 (the new-session
form, then its POST as a draft; one note in four is then signed from its page, and the
page read again for the sign's message).

The command writes the data this file reads (accounts, page addresses, check-in links,
the pool's new-session pages) to the JSON file named by LOADTEST_DATA. Each check-in the
server accepted is appended as a line of JSON to the file named in that data, for the
command to check against the database. A patient's link is taken from the pool for one
check-in at a time and then put back at the end, so no patient has two check-ins in
flight and the last one logged for a patient is the one the database must hold; when
every pool patient has a check-in in flight (a pool smaller than the users), the user
writes a note instead. Each note the server saved (a 302 to the note) is logged the same
way, with the marker text it carries in `subjective` and whether its sign was answered as
done. The final statistics are written when locust quits (its CSV files are written every
second, so they miss the last requests).
"""

import itertools
import json
import os
import random
import re
import uuid
from collections import deque

from locust import HttpUser, constant, events, task
from locust.clients import HttpSession
from locust.exception import StopUser

from demo.loadtest.browser import (
    is_session_address,
    session_fields,
    sign_done,
    sign_fields,
)

with open(os.environ["LOADTEST_DATA"]) as file:
    DATA = json.load(file)

ACCOUNTS = itertools.cycle(DATA["accounts"])
CHECKIN_LINKS = deque(DATA["checkins"])
POSTED = open(DATA["posted_path"], "a")  # noqa: SIM115 (open for the whole run)
NOTES = open(DATA["notes_path"], "a")  # noqa: SIM115 (open for the whole run)
SEQUENCE = itertools.count()
SIGN_SHARE = 0.25

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PSFS_FIELD = re.compile(r'name="(psfs_\d+)"')
CHECKIN_SCORES = ["pain_now", "pain_average", "pain_worst", "enjoyment", "activity", "confidence"]


def csrf_token(response):
    found = CSRF_FIELD.search(response.text)
    return found.group(1) if found else ""


def checkin_answers(form_html):
    """Random answers for every question on the check-in form, PSFS activities included."""
    answers = {name: random.randint(0, 10) for name in CHECKIN_SCORES}
    answers["active_minutes"] = random.randint(0, 600)
    for name in PSFS_FIELD.findall(form_html):
        answers[name] = random.randint(0, 10)
    return answers


@events.quitting.add_listener
def write_stats(environment, **kwargs):
    """Locust's own figures for each request name and in all, once every user has stopped."""
    stats = environment.stats
    rows = [
        {
            "name": entry.name,
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "rps": round(entry.total_rps, 1),
            "median_ms": round(entry.median_response_time),
            "p95_ms": round(entry.get_response_time_percentile(0.95)),
        }
        for entry in sorted(stats.entries.values(), key=lambda entry: entry.name)
    ]
    failures = [
        {"name": error.name, "error": str(error.error), "count": error.occurrences}
        for error in stats.errors.values()
    ]
    # A Python error in a task is no failed request, but it is an error all the same.
    exceptions = [
        {"name": "locustfile", "error": error["msg"], "count": error["count"]}
        for error in environment.runner.exceptions.values()
    ]
    total = {
        "name": "all",
        "requests": stats.total.num_requests,
        "failures": stats.total.num_failures + sum(error["count"] for error in exceptions),
        "rps": round(stats.total.total_rps, 1),
        "median_ms": round(stats.total.median_response_time),
        "p95_ms": round(stats.total.get_response_time_percentile(0.95)),
    }
    with open(DATA["stats_path"], "w") as file:
        json.dump({"pages": rows, "total": total, "failures": failures + exceptions}, file)


class Practitioner(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        account = next(ACCOUNTS)
        login = DATA["pages"]["login"]
        form = self.page(login, "login form")
        with self.client.post(
            login,
            {
                "username": account["username"],
                "password": account["password"],
                "csrfmiddlewaretoken": csrf_token(form),
            },
            name="login (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login as {account['username']} answered {response.status_code}")
                raise StopUser()

    def page(self, url, name):
        """GET a page; anything but a 200 (a redirect to the login page too) is an error."""
        with self.client.get(
            url, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"answered {response.status_code}")
        return response

    def patient(self):
        return random.choice(DATA["patients"])

    @task(2)
    def dashboard(self):
        self.page(DATA["pages"]["home"], "dashboard")

    @task(1)
    def patient_list(self):
        self.page(DATA["pages"]["patient_list"], "patient list")

    @task(1)
    def patient_search(self):
        query = random.choice(DATA["searches"])
        self.page(f"{DATA['pages']['patient_list']}?q={query}", "patient search")

    @task(2)
    def patient_detail(self):
        self.page(self.patient()["detail"], "patient detail")

    @task(1)
    def progress(self):
        self.page(self.patient()["progress"], "progress page")

    @task(1)
    def session_form(self):
        self.page(self.patient()["session_new"], "log session (GET)")

    @task(1)
    def point_search(self):
        query = random.choice(DATA["points"])
        self.page(f"{DATA['pages']['point_search']}?q={query}", "point search")

    @task(3)
    def check_in(self):
        if not CHECKIN_LINKS:  # every pool patient is checking in
            self.write_session()
            return
        link = CHECKIN_LINKS.popleft()
        try:
            self.post_checkin(link)
        finally:
            CHECKIN_LINKS.append(link)

    def post_checkin(self, link):
        phone = HttpSession(
            base_url=self.host, request_event=self.environment.events.request, user=self
        )
        phone.trust_env = False
        with phone.get(
            link["url"], name="check-in form", allow_redirects=False, catch_response=True
        ) as form:
            if form.status_code != 200:
                form.failure(f"answered {form.status_code}")
                return
        answers = checkin_answers(form.text)
        with phone.post(
            link["url"],
            {**answers, "csrfmiddlewaretoken": csrf_token(form)},
            name="check-in (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            thanks = link["url"] + "thanks/"  # a saved check-in goes to its thank-you page
            if response.status_code != 302 or response.headers.get("Location") != thanks:
                response.failure(f"answered {response.status_code}")
                return
        line = {"link": link["id"], "sequence": next(SEQUENCE), "answers": answers}
        POSTED.write(json.dumps(line) + "\n")
        POSTED.flush()

    @task(2)
    def write_session(self):
        patient = random.choice(DATA["notes"])
        form = self.page(patient["new"], "note form")
        if form.status_code != 200:
            return
        marker = f"{DATA['marker']} {uuid.uuid4().hex}"
        pain_before = random.randint(0, 10)
        with self.client.post(
            patient["new"],
            session_fields(form.text, marker, pain_before),
            name="note (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or not is_session_address(location, patient["notes"]):
                response.failure(f"answered {response.status_code}")
                return
        session = location.partition("?")[0]
        line = {"marker": marker, "patient": patient["uuid"], "pain_before": pain_before}
        line["sign"] = self.sign(session) if random.random() < SIGN_SHARE else None
        NOTES.write(json.dumps(line) + "\n")
        NOTES.flush()

    def sign(self, session):
        """Sign a note from its sign review: "done", "refused" (the page says why), or
        "failed"."""
        page = self.page(session + "sign/", "sign review")
        if page.status_code != 200:
            return "failed"
        fields = sign_fields(page.text)
        with self.client.post(
            session + "sign/",
            fields,
            name="sign (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code in (400, 409):  # the review, shown again, says why
                response.success()
                return "refused"
            if response.status_code != 302 or response.headers.get("Location") != session:
                response.failure(f"answered {response.status_code}")
                return "failed"
        after = self.page(session, "note page after sign")
        return "done" if after.status_code == 200 and sign_done(after.text) else "refused"
