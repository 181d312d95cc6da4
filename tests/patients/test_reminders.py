"""Check-in reminders: `manage.py send_checkin_reminders` (the hourly job
"checkin-reminders") emails a patient whose check-in is due a short reminder with a fresh
check-in link, once a due date, only with their consent, never once discharged or
archived, and stops after three unanswered until a practitioner restarts them; the patient
page shows and changes them; the email's unsubscribe link turns them off without a login."""

import io
import logging
import re
import threading
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.signing import Signer
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from clinic.logfilters import RedactLinkTokens
from jobs.schedule import run_due
from patients import reminders as sending
from patients.models import CheckIn, Intake, Patient, PatientLink, Reminder
from patients.models.reminders import RECENT_REMINDERS, reminder_due_on, reminder_state
from tests.factories import (
    CheckInFactory,
    InvitedPatientFactory,
    PatientFactory,
    StartedCourseFactory,
    SubmittedIntakeFactory,
)
from tests.intake_helpers import PATIENT_ACTOR, checkin_url
from tests.progress_helpers import day, days_ago, today

CLINICAL_WORDS = ["pain", "phase", "score", "PEG", "PSFS", "confidence", "active minutes", "calm"]


@pytest.fixture(autouse=True)
def any_hour(settings):
    """Reminders go from 9:00 local time; the tests run at any hour."""
    settings.CHECKIN_REMINDERS_FROM_HOUR = 0


@pytest.fixture
def ana(patient, practitioner):
    """Ana agreed to weekly reminders; her course began 21 days ago and her last check-in
    was 7 days ago: one is due today."""
    StartedCourseFactory(patient=patient, accepted_by=practitioner, on=days_ago(21))
    CheckInFactory(patient=patient, taken_on=days_ago(7))
    Patient.objects.filter(pk=patient.pk).update(reminder_consent=True)
    return Patient.objects.get(pk=patient.pk)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the job as cron would, `days` from now; the emails go as its transactions
    commit (the test's own transaction never does)."""

    def run(days=0):
        with django_capture_on_commit_callbacks(execute=True):
            return sending.send_due_reminders(timezone.now() + timedelta(days=days))

    return run


def sent_to(patient):
    return [message for message in mail.outbox if message.to == [patient.email]]


def link_in(message):
    return re.search(r"http\S+/p/checkin/\S+/", message.body).group(0)


def stop_path(message):
    return re.search(r"http://[^/]+(/p/reminders/\S+/stop/)", message.body).group(1)


# When one is due


def test_a_due_reminder_is_emailed_with_a_working_checkin_link(run, ana, client):
    assert run() == "1 reminder sent, 1 due"
    [message] = sent_to(ana)
    reminder = Reminder.objects.get(patient=ana)
    assert reminder.due_on == today()
    assert reminder.link.purpose == "checkin" and reminder.link.email_status == "sent"
    assert client.get(link_in(message)).status_code == 200


def test_no_reminder_before_a_check_in_is_due(run, ana):
    CheckInFactory(patient=ana, taken_on=days_ago(3))
    assert run() == "0 reminders sent, 0 due"
    assert mail.outbox == [] and not Reminder.objects.exists()


def test_running_twice_sends_one_email(run, ana):
    run()
    run()
    assert len(sent_to(ana)) == 1
    assert Reminder.objects.filter(patient=ana).count() == 1


def test_a_reminder_that_went_since_the_selection_is_not_sent_again(run, ana, monkeypatch):
    [found] = Patient.objects.may_be_reminded()
    Reminder.objects.create(patient=ana, due_on=today(), channel="email")  # another run's
    assert sending.send_reminder(found, today(), today()) is False
    # Even past the check inside the lock, the unique constraint refuses it.
    monkeypatch.setattr(sending, "due_date", lambda patient, day: today())
    assert sending.send_reminder(found, today(), today()) is False
    assert Reminder.objects.count() == 1 and mail.outbox == []
    assert not PatientLink.objects.filter(patient=ana, purpose="checkin").exists()  # rolled back


def test_a_checkin_since_the_selection_cancels_the_reminder(ana):
    [found] = Patient.objects.may_be_reminded()
    CheckInFactory(patient=ana, taken_on=today())
    assert sending.send_reminder(found, today(), today()) is False
    assert not Reminder.objects.exists()


def test_the_database_refuses_a_second_reminder_for_one_due_date(ana):
    Reminder.objects.create(patient=ana, due_on=today(), channel="email")
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(patient=ana, due_on=today(), channel="email")


def test_the_database_refuses_an_unknown_cadence_or_channel(ana):
    for change in [{"checkin_cadence": "daily"}, {"reminder_channel": "pigeon"}]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Patient.objects.filter(pk=ana.pk).update(**change)


@pytest.mark.parametrize(
    "change",
    [
        {"status": Patient.Status.DISCHARGED},
        {"status": Patient.Status.ARCHIVED},
        {"reminder_consent": False},
        {"checkin_cadence": Patient.Cadence.NONE},
        {"email": ""},
    ],
    ids=["discharged", "archived", "no consent", "cadence none", "no address"],
)
def test_no_reminder_goes_to(run, ana, change):
    Patient.objects.filter(pk=ana.pk).update(**change)
    assert run() == "0 reminders sent, 0 due"
    assert mail.outbox == [] and not Reminder.objects.exists()


def test_a_patient_weeks_behind_gets_one_reminder_not_one_for_each_week_missed(run, ana):
    Patient.objects.filter(pk=ana.pk).update(checkin_cadence=Patient.Cadence.FORTNIGHTLY)
    # Last check-in 7 days ago, fortnightly: due in 7 days; 30 days on, the latest due
    # date is 21 days from now (7 + 14), and only that one is reminded.
    run(days=30)
    run(days=31)
    assert list(Reminder.objects.values_list("due_on", flat=True)) == [days_ago(-21)]


def test_due_dates_follow_the_cadence():
    start = today()
    assert reminder_due_on("weekly", start, start + timedelta(6)) is None
    assert reminder_due_on("weekly", start, start + timedelta(7)) == start + timedelta(7)
    assert reminder_due_on("four_weekly", start, start + timedelta(30)) == start + timedelta(28)
    assert reminder_due_on("weekly", start, start + timedelta(8), start + timedelta(7)) is None
    assert reminder_due_on("none", start, start + timedelta(70)) is None


def test_none_go_before_the_morning(run, ana, settings):
    settings.CHECKIN_REMINDERS_FROM_HOUR = 24  # no hour is late enough
    assert run() == "none sent before 24:00"
    assert mail.outbox == []


# Unanswered, answered, restarted


def test_after_three_unanswered_reminders_they_stop(run, ana):
    for week in range(5):
        run(days=7 * week)
    assert len(sent_to(ana)) == 3
    assert Reminder.objects.filter(patient=ana).count() == 3


def test_a_checkin_answers_them_and_the_count_starts_again(run, ana, client):
    run()
    run(days=7)
    message = sent_to(ana)[-1]
    token = link_in(message).rstrip("/").split("/")[-1]
    answers = dict.fromkeys(["pain_now", "pain_average", "pain_worst", "enjoyment"], "4")
    answers |= {"activity": "4", "confidence": "6", "active_minutes": "90"}
    assert client.post(checkin_url(token), answers).status_code == 302
    # Checked in today: next due in 7 days, and three more may go unanswered from here.
    assert run() == "0 reminders sent, 0 due"
    for week in range(1, 6):
        run(days=7 * week)
    assert len(sent_to(ana)) == 2 + 3


def test_a_practitioner_restarts_stopped_reminders(run, ana, practitioner_client):
    for week in range(3):
        run(days=7 * week)
    page = practitioner_client.get(ana.get_absolute_url()).content.decode()
    assert "3 reminders in a row went unanswered" in page and "Restart reminders" in page
    response = practitioner_client.post(reverse("patients:restart_reminders", args=[ana.uuid]))
    assert response.status_code == 302
    assert "Reminders restarted" in practitioner_client.get(ana.get_absolute_url()).content.decode()
    run(days=21)
    assert len(sent_to(ana)) == 4


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_only_staff_who_may_change_the_patient_restart_them(request, ana, who):
    client = request.getfixturevalue("client" if who == "anonymous" else "outsider_client")
    response = client.post(reverse("patients:restart_reminders", args=[ana.uuid]))
    assert response.status_code in (302, 403)
    assert Patient.objects.get(pk=ana.pk).reminders_restarted_at is None


def test_restart_takes_a_post(practitioner_client, ana):
    response = practitioner_client.get(reverse("patients:restart_reminders", args=[ana.uuid]))
    assert response.status_code == 405


# The email


def test_the_email_has_the_clinic_name_the_link_and_the_unsubscribe_link_and_nothing_clinical(
    run, ana, settings, smtp_sink
):
    settings.CLINIC_NAME = "Riverside Acupuncture"
    run()
    [envelope] = smtp_sink.messages
    text = envelope.content.decode()
    assert envelope.rcpt_tos == [ana.email]
    assert "Riverside Acupuncture" in text
    assert "/p/checkin/" in text and "/p/reminders/" in text
    words = re.sub(r"http\S+", "", text).lower()  # a random token could spell "peg"
    for word in CLINICAL_WORDS:
        assert word.lower() not in words, word


def test_a_failed_email_leaves_no_working_link_and_does_not_count_as_unanswered(
    run, ana, smtp_refused, practitioner_client
):
    assert run() == "1 reminder sent, 1 due"  # the queue records the task's failure
    reminder = Reminder.objects.get(patient=ana)
    assert (reminder.link.email_status, reminder.link.state) == ("failed", "revoked")
    state = Patient.objects.filter(pk=ana.pk).with_reminder_state().get()
    assert state.unanswered == 0
    assert "Email failed" in practitioner_client.get(ana.get_absolute_url()).content.decode()


# Unsubscribe


def test_the_unsubscribe_link_asks_first_and_changes_nothing_on_get(run, ana, client):
    run()
    response = client.get(stop_path(sent_to(ana)[0]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Stop check-in reminders?" in page and 'method="post"' in page
    assert Patient.objects.get(pk=ana.pk).reminder_consent is True
    assert "no-store" in response["Cache-Control"]


def test_posting_turns_reminders_off_without_a_login_and_is_audited(run, ana):
    run()
    client = Client(enforce_csrf_checks=True)
    path = stop_path(sent_to(ana)[0])
    page = client.get(path)
    csrf = page.cookies["csrftoken"].value
    response = client.post(path, {"csrfmiddlewaretoken": csrf}, follow=True)
    assert response.redirect_chain == [(path, 302)]
    assert "Reminders are off" in response.content.decode()
    ana.refresh_from_db()
    assert ana.reminder_consent is False and ana.reminders_unsubscribed_at is not None
    event = AuditEvent.objects.filter(detail="reminders turned off by link").get()
    assert (event.actor, event.user, event.patient_uuid) == (PATIENT_ACTOR, None, ana.uuid)
    assert run(days=7) == "0 reminders sent, 0 due"


@pytest.mark.parametrize(
    "token", ["nonsense", "x" * 500, "unknown patient", "altered", "other salt", "no hex"]
)
def test_a_bad_unsubscribe_token_is_a_plain_404(client, ana, token):
    good = sending.unsubscribe_token(ana)
    if token == "unknown patient":
        token = sending.unsubscribe_token(Patient(uuid=uuid.uuid4()))
    elif token == "altered":
        token = good[:-2] + ("xx" if not good.endswith("xx") else "yy")
    elif token == "other salt":
        token = ana.uuid.hex + Signer(salt="another.purpose").signature(ana.uuid.hex)
    elif token == "no hex":
        token = "Z" * 32 + good[32:]
    path = reverse("reminders_unsubscribe", kwargs={"token": token})
    for response in (client.get(path), client.post(path)):
        assert response.status_code == 404
        assert "This link does not work" in response.content.decode()
    assert Patient.objects.get(pk=ana.pk).reminder_consent is True


def test_the_unsubscribe_token_is_cut_out_of_logged_paths(ana):
    path = sending.unsubscribe_path(ana)
    record = logging.LogRecord("django.request", logging.WARNING, "", 0, "GET %s", (path,), None)
    RedactLinkTokens().filter(record)
    assert record.getMessage() == "GET /p/reminders/[token]/stop/"


# Consent at intake


def test_the_intakes_consent_box_is_copied_to_the_patient_on_accept(practitioner_client):
    for ticked, expected in [("on", True), ("", False)]:
        invited = InvitedPatientFactory(given_name=f"Bea{expected}")
        intake = SubmittedIntakeFactory(patient=invited, consent={"reminders": ticked})
        assert Intake.objects.get(pk=intake.pk).reminder_consent is expected
        kwargs = {"patient_uuid": invited.uuid, "intake_id": intake.pk}
        practitioner_client.post(reverse("patients:accept_intake", kwargs=kwargs))
        assert Patient.objects.get(pk=invited.pk).reminder_consent is expected


# The patient page


def test_the_patient_page_shows_cadence_last_reminder_and_whether_answered(
    run, ana, practitioner_client
):
    page = practitioner_client.get(ana.get_absolute_url()).content.decode()
    assert "Check-in reminders" in page and "None sent yet" in page
    assert f'Next check-in due</dt>\n    <dd class="col-sm-8 col-lg-4">{day(today())}' in page
    run()
    page = practitioner_client.get(ana.get_absolute_url()).content.decode()
    assert f"Sent {day(today())}" in page and "not answered yet" in page
    CheckInFactory(patient=ana, taken_on=today())
    page = practitioner_client.get(ana.get_absolute_url()).content.decode()
    assert "answered</span>" in page and "not answered yet" not in page
    assert day(today() + timedelta(7)) in page


def test_the_settings_form_saves_and_is_audited(practitioner_client, ana):
    url = reverse("patients:reminders", args=[ana.uuid])
    form = practitioner_client.get(url).context["form"]
    data = {"checkin_cadence": "fortnightly", "reminder_channel": "email",
            "reminder_consent": "on", "version": form.initial["version"]}  # fmt: skip
    response = practitioner_client.post(url, data)
    assert response.status_code == 302
    assert Patient.objects.get(pk=ana.pk).checkin_cadence == "fortnightly"
    assert AuditEvent.objects.filter(
        action="change", object_type="patients.patient", object_id=str(ana.pk)
    ).exists()


def test_a_bad_cadence_is_answered_400_next_to_the_field(practitioner_client, ana):
    url = reverse("patients:reminders", args=[ana.uuid])
    version = practitioner_client.get(url).context["form"].initial["version"]
    data = {"checkin_cadence": "daily", "reminder_channel": "email", "version": version}
    response = practitioner_client.post(url, data)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert Patient.objects.get(pk=ana.pk).checkin_cadence == "weekly"


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_the_settings_page_needs_a_practitioner(request, ana, who):
    client = request.getfixturevalue("client" if who == "anonymous" else "outsider_client")
    response = client.get(reverse("patients:reminders", args=[ana.uuid]))
    assert response.status_code in (302, 403)
    if who == "anonymous":
        assert "/accounts/login/" in response["Location"]


# Queries


@pytest.mark.parametrize("others", [2, 20])
def test_due_patients_are_found_in_one_query(ana, others, django_assert_num_queries):
    for n in range(others):
        other = PatientFactory(reminder_consent=True)
        CheckInFactory(patient=other, taken_on=days_ago(7 + n % 3))
    # one SELECT of the patients who may be reminded, with their last check-in, the
    # unanswered reminders, the last reminded due date and where counting starts
    with django_assert_num_queries(1):
        due = list(Patient.objects.may_be_reminded())
    assert len(due) == others + 1


@pytest.mark.parametrize("others", [2, 20])
def test_the_patient_page_query_count_stays_with_more_reminders(
    ana, practitioner_client, run, others, django_assert_num_queries
):
    for week in range(2):
        run(days=7 * week)
    for n in range(others):  # earlier ones, answered by the check-ins since
        Reminder.objects.create(
            patient=ana, due_on=days_ago(100 + n), channel="email",
            sent_at=timezone.now() - timedelta(days=100 + n),
        )  # fmt: skip
    # as tests/patients/test_patient_detail.py: 13, the reminders' two among them
    with django_assert_num_queries(13):
        practitioner_client.get(ana.get_absolute_url())


def test_unanswered_reminders_past_the_latest_it_reads_are_counted_by_the_database(
    ana, practitioner_client, django_assert_num_queries
):
    """reminder_state() counts the unanswered among the latest RECENT_REMINDERS; when all of
    those are unanswered (emails that failed do not stop them), a third query counts."""
    CheckIn.objects.filter(patient=ana).update(updated_at=timezone.now() - timedelta(days=7))
    for n in range(RECENT_REMINDERS + 1):
        link = PatientLink.issue(ana, PatientLink.Purpose.CHECKIN)[0]
        if n % 2:  # every other email failed; the oldest did not
            PatientLink.objects.filter(pk=link.pk).update(
                email_status=PatientLink.Email.FAILED, revoked_at=timezone.now()
            )
        Reminder.objects.create(
            patient=ana, due_on=days_ago(n), channel="email", link=link,
            sent_at=timezone.now() - timedelta(hours=n + 1),
        )  # fmt: skip
    by_query = Patient.objects.filter(pk=ana.pk).with_reminder_state().get()
    state = reminder_state(Patient.objects.select_related("summary").get(pk=ana.pk))
    assert state.unanswered == by_query.unanswered == RECENT_REMINDERS // 2 + 1
    with django_assert_num_queries(14):
        practitioner_client.get(ana.get_absolute_url())


def one_of_each_state(ana, practitioner, run):
    """Ana with two unanswered reminders, a patient whose reminder was answered, one
    restarted after three, one whose reminder's email failed, and one before any
    check-in."""
    run()
    run(days=7)
    answered = patient_with_reminders(practitioner, answered=True)
    restarted = patient_with_reminders(practitioner, count=3)
    Patient.objects.filter(pk=restarted.pk).update(reminders_restarted_at=timezone.now())
    failed = patient_with_reminders(practitioner, count=1)
    PatientLink.objects.filter(reminder__patient=failed).update(
        email_status=PatientLink.Email.FAILED, revoked_at=timezone.now()
    )
    new = PatientFactory(reminder_consent=True)
    StartedCourseFactory(patient=new, accepted_by=practitioner, on=days_ago(9))
    return [ana, answered, restarted, failed, new]


def patient_with_reminders(practitioner, count=1, answered=False):
    patient = PatientFactory(reminder_consent=True)
    StartedCourseFactory(patient=patient, accepted_by=practitioner, on=days_ago(60))
    CheckInFactory(patient=patient, taken_on=days_ago(40))
    for n in range(count):
        link = PatientLink.issue(patient, PatientLink.Purpose.CHECKIN)[0]
        sent_at = timezone.now() - timedelta(days=30 - 7 * n)
        Reminder.objects.create(
            patient=patient, due_on=days_ago(33 - 7 * n), channel="email", link=link,
            sent_at=sent_at,
        )  # fmt: skip
    if answered:
        CheckInFactory(patient=patient, taken_on=days_ago(1))
    return patient


def test_the_patient_pages_state_agrees_with_the_jobs_query(ana, practitioner, run):
    patients = one_of_each_state(ana, practitioner, run)
    fields = ["last_checkin_at", "unanswered", "counting_from"]
    by_query = {
        row["pk"]: row for row in Patient.objects.with_reminder_state().values("pk", *fields)
    }
    states = []
    for patient in patients:
        state = reminder_state(Patient.objects.select_related("summary").get(pk=patient.pk))
        assert {name: getattr(state, name) for name in fields} == {
            name: by_query[patient.pk][name] for name in fields
        }, patient
        states.append(state.unanswered)
    assert states == [2, 0, 0, 0, 0]  # each state is met: none agree by chance alone


# The job


def test_the_command_and_the_hourly_job_send_them(ana, django_capture_on_commit_callbacks):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_checkin_reminders", stdout=out)
    assert out.getvalue().strip() == "1 reminder sent, 1 due"
    Reminder.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        ran = dict(run_due())
    assert ran["checkin-reminders"] == "done: 1 reminder sent, 1 due"
    assert len(sent_to(ana)) == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite runs one write transaction at a time"
)
def test_two_runs_at_once_send_one_email(monkeypatch, smtp_sink, practitioner):
    patient = PatientFactory(reminder_consent=True, practitioner=practitioner)
    CheckInFactory(patient=patient, taken_on=days_ago(7))
    # Both runs have found Ana due before either sends.
    both_found = threading.Barrier(2)
    send = sending.send_reminder

    def send_when_both_found(*args):
        both_found.wait(10)
        return send(*args)

    monkeypatch.setattr(sending, "send_reminder", send_when_both_found)
    outcomes = []

    def run():
        try:
            outcomes.append(sending.send_due_reminders())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert sorted(outcomes) == ["0 reminders sent, 1 due", "1 reminder sent, 1 due"]
    assert len(smtp_sink.messages) == 1
    assert Reminder.objects.count() == 1
    assert PatientLink.objects.filter(patient=patient).count() == 1  # the loser's rolled back
