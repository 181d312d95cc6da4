"""Links sent to patients: made, sent, used, revoked, refused; and kept out of the database,
the logs and the hands of someone guessing them."""

import datetime
import hashlib
import io
import logging
import re
import secrets
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from clinic.logfilters import RedactLinkTokens
from patients import ratelimit
from patients.actions import accept_intake
from patients.models import Patient, PatientLink
from tests.factories import PatientFactory
from tests.intake_helpers import (
    checkin_url,
    intake_link,
    invited_patient,
    review_url,
    start_url,
    step_url,
    submit_url,
    submitted_intake,
)
from tests.session_factories import field_error

INTAKE = PatientLink.Purpose.INTAKE
CHECKIN = PatientLink.Purpose.CHECKIN
URL_SAFE = re.compile(r"[A-Za-z0-9_\-]+")


def send_intake_url(patient):
    return reverse("patients:send_intake_link", kwargs={"patient_uuid": patient.uuid})


def send_checkin_url(patient):
    return reverse("patients:send_checkin_link", kwargs={"patient_uuid": patient.uuid})


def revoke_url(link):
    return reverse(
        "patients:revoke_link", kwargs={"patient_uuid": link.patient.uuid, "link_id": link.pk}
    )


INVITE_URL = reverse("patients:invite")


def shown_link(response, purpose):
    """The absolute link shown on the "link created" page, and its token."""
    match = re.search(
        rf'value="(http://testserver/p/{purpose}/([^/"]+)/)"', response.content.decode()
    )
    assert match, "no link on the page"
    return match.group(1), match.group(2)


def tables_containing(text):
    """Every table with `text` in any column of any row."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            if any(text in str(value) for row in cursor.fetchall() for value in row):
                found.append(table)
    return found


def make_expired(link):
    now = timezone.now()
    PatientLink.objects.filter(pk=link.pk).update(
        created_at=now - datetime.timedelta(days=15), expires_at=now - datetime.timedelta(seconds=1)
    )


def make_closed(link):
    PatientLink.objects.filter(pk=link.pk).update(closed_at=timezone.now())


@pytest.fixture
def invited(practitioner):
    return invited_patient(practitioner=practitioner)


# Issuing and finding a link


def test_a_token_is_at_least_43_url_safe_characters_and_never_repeats(patient):
    tokens = [PatientLink.issue(patient, INTAKE)[1] for _ in range(5)]
    for token in tokens:
        assert len(token) >= 43  # 32 random bytes: 256 bits
        assert URL_SAFE.fullmatch(token)
    assert len(set(tokens)) == 5


def test_only_the_sha256_of_the_token_is_stored(patient):
    link, token = PatientLink.issue(patient, INTAKE)
    link.refresh_from_db()
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert tables_containing(link.token_hash) == ["patients_patientlink"]
    assert tables_containing(token) == []


def test_an_intake_link_lasts_the_intake_days_and_a_checkin_link_the_checkin_days(patient):
    before = timezone.now()
    intake, _ = PatientLink.issue(patient, INTAKE)
    checkin, _ = PatientLink.issue(patient, CHECKIN)
    after = timezone.now()
    intake_days = datetime.timedelta(days=django_settings.INTAKE_LINK_DAYS)
    checkin_days = datetime.timedelta(days=django_settings.CHECKIN_LINK_DAYS)
    assert before + intake_days <= intake.expires_at <= after + intake_days
    assert before + checkin_days <= checkin.expires_at <= after + checkin_days
    assert (intake.state, checkin.state) == ("active", "active")


def test_find_gives_the_usable_link_for_its_token_and_purpose(patient):
    link, token = PatientLink.issue(patient, INTAKE)
    assert PatientLink.objects.find(token, INTAKE) == link


def dead_intake_token(case, patient):
    """A token that must not open an intake, for each reason a link may not work."""
    link, token = PatientLink.issue(patient, INTAKE)
    if case == "wrong token":
        return secrets.token_urlsafe(32)
    if case == "expired":
        make_expired(link)
    elif case == "revoked":
        link.revoke()
    elif case == "closed":
        make_closed(link)
    elif case == "wrong purpose":
        return PatientLink.issue(patient, CHECKIN)[1]
    elif case == "200 characters":
        return token + "a" * (200 - len(token))
    return token


DEAD = ["wrong token", "expired", "revoked", "closed", "wrong purpose", "200 characters"]


@pytest.mark.parametrize("case", DEAD)
def test_find_gives_nothing_for_a_link_that_does_not_work(patient, case):
    token = dead_intake_token(case, patient)
    assert PatientLink.objects.find(token, INTAKE) is None


@pytest.mark.parametrize("token", ["", None])
def test_find_gives_nothing_for_no_token(patient, token):
    PatientLink.issue(patient, INTAKE)
    assert PatientLink.objects.find(token, INTAKE) is None


def test_the_state_of_a_link_says_why_it_no_longer_works(patient):
    links = {case: PatientLink.issue(patient, INTAKE)[0] for case in ["expired", "rev", "used"]}
    make_expired(links["expired"])
    links["rev"].revoke()
    make_closed(links["used"])
    states = {case: PatientLink.objects.get(pk=link.pk).state for case, link in links.items()}
    assert states == {"expired": "expired", "rev": "revoked", "used": "used"}


def test_revoking_twice_keeps_the_first_time(patient):
    link, _ = PatientLink.issue(patient, INTAKE)
    link.revoke()
    first = PatientLink.objects.get(pk=link.pk).revoked_at
    link.revoke()
    assert PatientLink.objects.get(pk=link.pk).revoked_at == first


# A link that does not work: one page, whatever the reason


def intake_pages(client, token):
    return [
        client.get(start_url(token)),
        client.get(step_url(token, "about")),
        client.post(step_url(token, "about"), {"given_name": "Eve"}),
        client.get(review_url(token)),
        client.post(submit_url(token)),
    ]


def test_every_dead_intake_link_shows_the_same_not_working_page(client, patient):
    reference = client.get(start_url(secrets.token_urlsafe(32)))
    assert reference.status_code == 404
    assert "This link does not work" in reference.content.decode()
    for case in DEAD:
        token = dead_intake_token(case, patient)
        for response in intake_pages(client, token):
            assert response.status_code == 404, (case, response.request["PATH_INFO"])
            assert response.content == reference.content, case


def test_every_dead_checkin_link_shows_the_same_not_working_page(client, patient):
    reference = client.get(start_url(secrets.token_urlsafe(32)))
    dead = {"wrong token": secrets.token_urlsafe(32)}
    for case in ["expired", "revoked", "closed"]:
        link, dead[case] = PatientLink.issue(patient, CHECKIN)
        {"expired": make_expired, "revoked": PatientLink.revoke, "closed": make_closed}[case](link)
    dead["wrong purpose"] = PatientLink.issue(patient, INTAKE)[1]
    dead["200 characters"] = PatientLink.issue(patient, CHECKIN)[1].ljust(200, "a")
    for case, token in dead.items():
        for response in [client.get(checkin_url(token)), client.post(checkin_url(token), {})]:
            assert response.status_code == 404, case
            assert response.content == reference.content, case


def test_a_working_link_opens_without_logging_in(client, patient):
    _, intake_token = PatientLink.issue(patient, INTAKE)
    _, checkin_token = PatientLink.issue(patient, CHECKIN)
    response = client.get(start_url(intake_token))
    assert response.status_code == 302
    assert response["Location"] == step_url(intake_token, "about")
    assert client.get(checkin_url(checkin_token)).status_code == 200


def test_an_unknown_step_of_a_working_link_is_a_404(client, patient):
    _, token = PatientLink.issue(patient, INTAKE)
    assert client.get(step_url(token, "shoe_size")).status_code == 404


def test_link_pages_are_not_cached(client, patient):
    _, token = PatientLink.issue(patient, INTAKE)
    response = client.get(step_url(token, "about"))
    assert "no-store" in response["Cache-Control"]


# Sending a link from the patient's page


def test_the_patient_page_offers_an_intake_link_for_an_invited_patient(
    practitioner_client, invited
):
    page = practitioner_client.get(invited.get_absolute_url()).content.decode()
    assert send_intake_url(invited) in page
    assert send_checkin_url(invited) not in page


def test_the_patient_page_offers_a_checkin_link_for_an_active_patient(practitioner_client, patient):
    page = practitioner_client.get(patient.get_absolute_url()).content.decode()
    assert send_checkin_url(patient) in page
    assert send_intake_url(patient) not in page


def test_a_practitioner_sends_an_intake_link_shown_once_and_emailed(
    practitioner_client, practitioner, invited, client
):
    response = practitioner_client.post(send_intake_url(invited))
    assert response.status_code == 200
    url, token = shown_link(response, "intake")
    assert url == f"http://testserver/p/intake/{token}/"
    assert "Emailed to bea.costa@example.org" in response.content.decode()
    link = PatientLink.objects.get(patient=invited)
    assert (link.purpose, link.created_by, link.state) == ("intake", practitioner, "active")
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()

    [email] = mail.outbox
    assert email.to == ["bea.costa@example.org"]
    assert url in email.body
    assert "intake" in email.subject.lower()

    # Shown once: the patient's page lists the link but cannot show it again.
    page = practitioner_client.get(invited.get_absolute_url()).content.decode()
    assert "Intake link made" in page
    assert token not in page
    assert tables_containing(token) == []

    practitioner_client.logout()
    assert client.get(url).status_code == 302  # the link works, for anyone holding it


def test_the_email_says_how_many_days_the_link_works(practitioner_client, invited):
    practitioner_client.post(send_intake_url(invited))
    [email] = mail.outbox
    assert f"It works for {django_settings.INTAKE_LINK_DAYS} days." in email.body


def test_no_email_goes_out_to_a_patient_without_an_address(practitioner_client, practitioner):
    no_email = invited_patient(email="", practitioner=practitioner)
    response = practitioner_client.post(send_intake_url(no_email))
    assert response.status_code == 200
    shown_link(response, "intake")
    assert "No email address on record" in response.content.decode()
    assert mail.outbox == []
    assert no_email.links.count() == 1


def test_a_practitioner_sends_a_checkin_link_to_an_active_patient(practitioner_client, patient):
    response = practitioner_client.post(send_checkin_url(patient))
    assert response.status_code == 200
    url, token = shown_link(response, "checkin")
    link = PatientLink.objects.get(patient=patient)
    assert link.purpose == "checkin"
    assert PatientLink.objects.find(token, CHECKIN) == link
    [email] = mail.outbox
    assert email.to == ["ana.silva@example.org"]
    assert url in email.body


@pytest.mark.parametrize("status", ["invited", "intake_submitted", "discharged", "archived"])
def test_checkin_links_are_only_for_active_patients(practitioner_client, practitioner, status):
    other = PatientFactory(status=status, practitioner=practitioner)
    response = practitioner_client.post(send_checkin_url(other), follow=True)
    assert response.redirect_chain[0][0] == other.get_absolute_url()
    assert "Check-in links are for active patients." in response.content.decode()
    assert not PatientLink.objects.exists()
    assert mail.outbox == []


def test_no_intake_link_once_the_intake_is_accepted(practitioner_client, practitioner, invited):
    accept_intake(submitted_intake(invited), by=practitioner)
    links_before = invited.links.count()
    response = practitioner_client.post(send_intake_url(invited), follow=True)
    assert (
        "This patient&#x27;s intake is already sent; review it instead."
        in response.content.decode()
    )
    assert invited.links.count() == links_before
    assert mail.outbox == []


def test_no_intake_link_for_an_archived_patient(practitioner_client, invited):
    invited.archive()
    response = practitioner_client.post(send_intake_url(invited))
    assert response.status_code == 302
    assert not PatientLink.objects.exists()


def test_archiving_a_patient_stops_their_intake_link(client, invited):
    _, token = intake_link(invited)
    not_working = client.get(start_url(secrets.token_urlsafe(32)))
    invited.archive()
    for response in [client.get(start_url(token)), client.get(step_url(token, "about"))]:
        assert response.status_code == 404
        assert response.content == not_working.content


def test_a_practitioner_revokes_a_link_and_it_stops_working(practitioner_client, invited, client):
    link, token = intake_link(invited)
    response = practitioner_client.post(revoke_url(link), follow=True)
    assert response.redirect_chain[0][0] == invited.get_absolute_url()
    assert "The intake link is revoked." in response.content.decode()
    link.refresh_from_db()
    assert link.state == "revoked"
    practitioner_client.logout()
    assert client.get(start_url(token)).status_code == 404


def test_a_link_cannot_be_revoked_under_another_patients_uuid(
    practitioner_client, invited, patient
):
    link, _ = intake_link(invited)
    wrong = reverse(
        "patients:revoke_link", kwargs={"patient_uuid": patient.uuid, "link_id": link.pk}
    )
    assert practitioner_client.post(wrong).status_code == 404
    link.refresh_from_db()
    assert link.state == "active"


def test_a_clinic_admin_may_revoke_but_not_send_links(admin_client_, invited):
    link, _ = intake_link(invited)
    assert admin_client_.post(send_intake_url(invited)).status_code == 403
    assert admin_client_.post(revoke_url(link)).status_code == 302
    link.refresh_from_db()
    assert link.state == "revoked"
    assert invited.links.count() == 1


def staff_endpoints(patient, link):
    return [send_intake_url(patient), send_checkin_url(patient), revoke_url(link), INVITE_URL]


def test_an_anonymous_visitor_is_sent_to_log_in_from_the_link_endpoints(client, patient):
    link, _ = PatientLink.issue(patient, CHECKIN)
    for url in staff_endpoints(patient, link):
        response = client.post(url, {"given_name": "Eve", "family_name": "Hacker"})
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url
    assert PatientLink.objects.count() == 1
    assert Patient.objects.count() == 1
    assert PatientLink.objects.get().state == "active"


def test_a_user_without_a_role_is_refused_the_link_endpoints(outsider_client, patient):
    link, _ = PatientLink.issue(patient, CHECKIN)
    for url in staff_endpoints(patient, link):
        assert outsider_client.post(url, {"given_name": "E", "family_name": "H"}).status_code == 403
    assert outsider_client.get(INVITE_URL).status_code == 403
    assert PatientLink.objects.count() == 1
    assert Patient.objects.count() == 1
    assert PatientLink.objects.get().state == "active"
    assert mail.outbox == []


def test_sending_and_revoking_are_posts(practitioner_client, patient):
    link, _ = PatientLink.issue(patient, CHECKIN)
    for url in staff_endpoints(patient, link)[:3]:
        assert practitioner_client.get(url).status_code == 405, url
    assert PatientLink.objects.count() == 1


# Inviting a new patient


def test_a_practitioner_sees_the_invitation_form(practitioner_client):
    response = practitioner_client.get(INVITE_URL)
    assert response.status_code == 200
    assert 'name="email"' in response.content.decode()


def test_inviting_creates_an_invited_patient_without_a_birth_date_and_a_link(
    practitioner_client, practitioner, client
):
    data = {"given_name": " Ana ", "family_name": "New", "email": "ana.new@example.org"}
    response = practitioner_client.post(INVITE_URL, data)
    assert response.status_code == 200
    url, token = shown_link(response, "intake")
    new = Patient.objects.get(email="ana.new@example.org")
    assert (new.given_name, new.family_name, new.status) == ("Ana", "New", "invited")
    assert new.date_of_birth is None
    assert new.practitioner == practitioner
    link = PatientLink.objects.get(patient=new)
    assert PatientLink.objects.find(token, INTAKE) == link
    [email] = mail.outbox
    assert email.to == ["ana.new@example.org"]
    assert url in email.body
    practitioner_client.logout()
    assert client.get(url)["Location"] == step_url(token, "about")


def test_an_invitation_with_a_bad_email_is_refused_next_to_the_field(practitioner_client):
    data = {"given_name": "Ana", "family_name": "New", "email": "ana.new@", "phone": ""}
    response = practitioner_client.post(INVITE_URL, data)
    assert response.status_code == 400
    assert field_error(response, "email") == "Enter a valid email address."
    assert 'value="ana.new@"' in response.content.decode()
    assert not Patient.objects.exists()
    assert not PatientLink.objects.exists()
    assert mail.outbox == []


def test_an_invitation_needs_a_family_name(practitioner_client):
    response = practitioner_client.post(INVITE_URL, {"given_name": "Ana", "family_name": " "})
    assert response.status_code == 400
    assert field_error(response, "family_name") == "This field is required."
    assert not Patient.objects.exists()


# The invite_patient command


def run_invite(*args, **options):
    out = io.StringIO()
    call_command("invite_patient", *args, stdout=out, **options)
    return out.getvalue().strip()


def test_the_command_invites_a_new_patient_and_prints_a_working_link(db, client):
    url = run_invite("x@example.org", name="Ana New")
    base = django_settings.CLINIC_BASE_URL
    assert url.startswith(base + "/p/intake/")
    path = url.removeprefix(base)
    token = path.split("/")[3]
    new = Patient.objects.get(email="x@example.org")
    assert (new.given_name, new.family_name, new.status) == ("Ana", "New", "invited")
    assert new.date_of_birth is None
    response = client.get(path)
    assert response["Location"] == step_url(token, "about")
    about = client.get(response["Location"])
    assert about.status_code == 200
    assert 'value="Ana"' in about.content.decode()


def test_the_command_gives_an_existing_patient_a_new_link(invited):
    url = run_invite("BEA.COSTA@example.org")
    assert Patient.objects.count() == 1
    token = url.split("/")[-2]
    assert PatientLink.objects.find(token, INTAKE).patient == invited


def test_the_command_needs_a_name_for_an_unknown_email(db):
    with pytest.raises(CommandError, match="--name"):
        run_invite("nobody@example.org")
    with pytest.raises(CommandError, match="--name"):
        run_invite("nobody@example.org", name="Cher")
    assert not Patient.objects.exists()
    assert not PatientLink.objects.exists()


@pytest.mark.parametrize("email", ["not-an-email", "ana@", "@example.org", "ana new@example.org"])
def test_the_command_refuses_a_malformed_email(db, email):
    with pytest.raises(CommandError, match="Not an email address"):
        run_invite(email, name="Ana New")
    assert not Patient.objects.exists()


def test_the_command_refuses_a_patient_whose_intake_is_accepted(practitioner, invited):
    accept_intake(submitted_intake(invited), by=practitioner)
    links_before = PatientLink.objects.count()
    with pytest.raises(CommandError, match="already sent"):
        run_invite("beatriz.costa@example.org")
    assert PatientLink.objects.count() == links_before


# Rate limiting


@pytest.fixture
def three_a_minute(db, settings, monkeypatch):
    """At most 3 link requests a minute, on a clock that stands still (no minute turns
    over during the test)."""
    settings.LINK_RATE_LIMIT_PER_MINUTE = 3
    cache.clear()
    clock = SimpleNamespace(
        now=lambda: datetime.datetime(2026, 3, 2, 10, 15, 30, tzinfo=datetime.UTC)
    )
    monkeypatch.setattr(ratelimit, "timezone", clock)
    yield clock
    cache.clear()


def test_the_fourth_request_in_a_minute_from_one_address_is_refused(client, three_a_minute):
    guesses = [start_url(secrets.token_urlsafe(32)) for _ in range(4)]
    statuses = [client.get(url).status_code for url in guesses]
    assert statuses == [404, 404, 404, 429]
    response = client.get(guesses[0])
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()


def test_the_limit_counts_intake_and_checkin_pages_together(client, patient, three_a_minute):
    _, token = PatientLink.issue(patient, CHECKIN)
    assert client.get(checkin_url(token)).status_code == 200
    assert client.get(start_url("x" * 43)).status_code == 404
    assert client.get(review_url("y" * 43)).status_code == 404
    assert client.get(checkin_url(token)).status_code == 429


def test_another_address_is_not_limited_by_the_first(client, three_a_minute):
    for _ in range(4):
        client.get(start_url("x" * 43))
    assert client.get(start_url("x" * 43)).status_code == 429
    other = client.get(start_url("x" * 43), REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 404


def test_the_limit_starts_again_the_next_minute(client, three_a_minute):
    for _ in range(4):
        client.get(start_url("x" * 43))
    later = three_a_minute.now() + datetime.timedelta(minutes=1)
    three_a_minute.now = lambda: later
    assert client.get(start_url("x" * 43)).status_code == 404


def test_the_thanks_page_is_not_limited(client, three_a_minute):
    for _ in range(4):
        client.get(start_url("x" * 43))
    assert client.get(reverse("intake:thanks")).status_code == 200


# Tokens never reach the logs


def runserver_record(path, status="404"):
    return logging.LogRecord(
        "django.server", logging.WARNING, __file__, 1, '"%s" %s %s',
        (f"GET {path} HTTP/1.1", status, "1234"), None,
    )  # fmt: skip


@pytest.mark.parametrize("purpose", ["intake", "checkin"])
def test_the_log_filter_cuts_the_token_out_of_a_link_path(purpose):
    token = secrets.token_urlsafe(32)
    record = runserver_record(f"/p/{purpose}/{token}/about/")
    assert RedactLinkTokens().filter(record) is True
    assert record.getMessage() == f'"GET /p/{purpose}/[token]/about/ HTTP/1.1" 404 1234'


def test_the_log_filter_leaves_other_messages_alone():
    record = runserver_record("/patients/?q=silva", status="200")
    assert RedactLinkTokens().filter(record) is True
    assert record.getMessage() == '"GET /patients/?q=silva HTTP/1.1" 200 1234'
    assert record.args == ("GET /patients/?q=silva HTTP/1.1", "200", "1234")


def test_the_thanks_page_path_is_logged_as_it_is():
    record = runserver_record("/p/intake/thanks/", status="200")
    RedactLinkTokens().filter(record)
    assert "/p/intake/thanks/" in record.getMessage()


def test_the_server_log_is_written_without_the_token(caplog):
    """The configured handler of django.server redacts the record before the handlers after
    it (pytest's capture here) see it, and writes it without the token too."""
    logger = logging.getLogger("django.server")
    [console] = [
        h for h in logger.handlers if any(isinstance(f, RedactLinkTokens) for f in h.filters)
    ]
    written = io.StringIO()
    old_stream = console.setStream(written)
    added = caplog.handler not in logger.handlers
    if added:  # after the configured handler
        logger.addHandler(caplog.handler)
    token = secrets.token_urlsafe(32)
    try:
        with caplog.at_level(logging.INFO, logger="django.server"):
            logger.warning('"%s" %s %s', f"GET /p/intake/{token}/about/ HTTP/1.1", "404", "1234")
    finally:
        if added:
            logger.removeHandler(caplog.handler)
        console.setStream(old_stream)
    assert "/p/intake/[token]/about/" in caplog.text
    assert token not in caplog.text
    assert "/p/intake/[token]/about/" in written.getvalue()
    assert token not in written.getvalue()
