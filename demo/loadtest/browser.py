"""A page's form read as a browser sends it, and a small browser for loopback measurements.

Standard library only: the locustfile (run by locust, outside Django) and the racecheck
command both use it.

    fields = form_fields(page_html, "session-form")   # name -> value, as a browser posts
    browser = Browser("http://127.0.0.1:8000")
    browser.log_in("/accounts/login/", "lin", password)
    status, location, body = browser.post(url, fields)
"""

import html as entities
import http.cookiejar
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

UNSENT_INPUTS = {"submit", "button", "image", "reset", "file"}
UUID = r"[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}"
ALERT = re.compile(r'<div class="alert alert-(\w+)"[^>]*>(.*?)</div>', re.S)


class FormReader(HTMLParser):
    """The fields of one form (the first with this id, or whose action ends with
    `action`, or else the page's first form) and their current values:
    inputs by their value (checkboxes and radios only when checked), a select by its
    selected option (else its first), a textarea by its text. Buttons are left out, as are
    the rows of a formset's empty template (`__prefix__`)."""

    def __init__(self, form_id=None, action=None):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.action = action
        self.inside = False
        self.done = False
        self.fields = {}
        self.select = None  # [name, first option's value, selected value]
        self.option = None  # [value or None, text] of the option being read
        self.textarea = None  # [name, text]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.inside and not self.done:
            if self.form_id is not None:
                self.inside = attrs.get("id") == self.form_id
            elif self.action is not None:
                self.inside = (attrs.get("action") or "").endswith(self.action)
            else:
                self.inside = True
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and "__prefix__" not in name:
            kind = (attrs.get("type") or "text").lower()
            if kind in UNSENT_INPUTS:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields[name] = attrs.get("value") or "on"
                return
            self.fields[name] = attrs.get("value") or ""
        elif tag == "select" and name and "__prefix__" not in name:
            self.select = [name, None, None]
        elif tag == "option" and self.select is not None:
            self.option = [attrs.get("value"), ""]
            if "selected" in attrs:
                self.select[2] = self.option
            if self.select[1] is None:
                self.select[1] = self.option
        elif tag == "textarea" and name and "__prefix__" not in name:
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data
        elif self.option is not None:
            self.option[1] += data

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "form":
            self.inside, self.done = False, True
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            # A browser drops the one newline that may follow the opening tag.
            self.fields[name] = text[1:] if text.startswith("\n") else text
            self.textarea = None
        elif tag == "option":
            self.option = None
        elif tag == "select" and self.select is not None:
            name, first, chosen = self.select
            option = chosen or first
            if option is not None:
                value, text = option
                self.fields[name] = value if value is not None else text.strip()
            self.select = self.option = None


def form_fields(html, form_id=None, action=None):
    """What a browser would post from a form: the one with id `form_id`, or the one whose
    action ends with `action`, or the page's first."""
    reader = FormReader(form_id, action)
    reader.feed(html)
    reader.close()
    return reader.fields


def alerts(html):
    """The page's messages as (level, text): ("success", "Session 4 signed."), ..."""
    found = ALERT.findall(html)
    return [
        (level, " ".join(entities.unescape(re.sub(r"<[^>]+>", " ", text)).split()))
        for level, text in found
    ]


def session_fields(form_html, marker, pain_before):
    """The new-session form as the browser shows it, saved as a draft with this marker."""
    fields = form_fields(form_html, "session-form")
    return {**fields, "subjective": marker, "pain_before": str(pain_before), "action": "draft"}


def is_session_address(location, sessions_prefix):
    """Whether a redirect leads to one note of this patient (its page, as a draft save
    answers: `<prefix><uuid>/?saved=draft`)."""
    pattern = re.escape(sessions_prefix) + UUID + r"/(\?saved=draft)?"
    return re.fullmatch(pattern, location) is not None


def sign_fields(review_html):
    """The sign review's form as a browser posts it, signing past what the note lacks (a
    synthetic note; its cautions, if any, stay unticked, and the sign is refused)."""
    return {**form_fields(review_html, action="/sign/"), "sign_past_missing": "on"}


def sign_done(page_html):
    """Whether the note's page, read after a sign, says it was signed and nothing failed."""
    shown = alerts(page_html)
    return not any(level == "danger" for level, _ in shown) and any(
        level == "success" and text.endswith("signed.") for level, text in shown
    )


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # the 3xx comes back as the answer


class Browser:
    """One browser on loopback: its own cookies, no proxy, redirects not followed.
    Each request answers (status, Location or "", body text); a status of 0 means the
    connection failed (the text says why)."""

    def __init__(self, host, timeout=60):
        self.host = host
        self.timeout = timeout
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),
            urllib.request.HTTPCookieProcessor(self.cookies),
            NoRedirects(),
        )

    def request(self, path, data=None):
        body = None if data is None else urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(self.host + path, data=body)
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return response.status, "", response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            location = error.headers.get("Location", "")
            return error.code, location, error.read().decode("utf-8", "replace")
        except OSError as error:
            return 0, "", f"{type(error).__name__}: {error}"

    def get(self, path):
        return self.request(path)

    def post(self, path, data):
        return self.request(path, data)

    def log_in(self, login_path, username, password):
        """Log in through the login form; True when it answered with the usual redirect."""
        status, _, page = self.get(login_path)
        if status != 200:
            return False
        token = form_fields(page).get("csrfmiddlewaretoken", "")
        data = {"username": username, "password": password, "csrfmiddlewaretoken": token}
        status, _, _ = self.post(login_path, data)
        return status == 302


def together(**calls):
    """Run the calls in threads that leave a barrier at the same instant: name -> answer
    (a call that raised or hung has none), and name -> (start, end) in ms after the first
    call left the barrier."""
    barrier = threading.Barrier(len(calls), timeout=30)
    answers, times = {}, {}

    def run(name, call):
        barrier.wait()
        started = time.monotonic()
        answers[name] = call()
        times[name] = (started, time.monotonic())

    threads = [threading.Thread(target=run, args=item) for item in calls.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    first = min((start for start, _ in times.values()), default=0)
    return answers, {
        name: (round((start - first) * 1000), round((end - first) * 1000))
        for name, (start, end) in times.items()
    }
