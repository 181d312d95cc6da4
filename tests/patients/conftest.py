"""Patients for the patients app's tests: Ana's course of care for the phase tests (her
accepted intake three weeks ago, two calmer check-ins since, and the suggestion of phase 2
they make), Ana accepted through the pages for the summary tests, and four weeks of her
history for the progress page."""

import socket

import pytest
from aiosmtpd.controller import Controller
from django.urls import reverse

from patients.models import Patient
from patients.progress import change_phase, refresh_suggestion
from tests.factories import (
    CheckInFactory,
    InvitedPatientFactory,
    PatientFactory,
    StartedCourseFactory,
    SubmittedIntakeFactory,
)
from tests.mail_helpers import Inbox, free_port, use_smtp
from tests.progress_helpers import COURSE_BEGAN, days_ago
from tests.session_factories import AdverseEventFactory, SessionOnDateFactory


@pytest.fixture
def course(patient, practitioner):
    """Ana's accepted intake three weeks ago: baseline average pain 8, phase 1 since."""
    return StartedCourseFactory(
        patient=patient,
        accepted_by=practitioner,
        on=days_ago(COURSE_BEGAN),
        baseline__pain_average=8,
    )


@pytest.fixture
def calmer(patient, course):
    """Two check-ins with average pain 5: 3 points, 37.5 % below the baseline of 8."""
    CheckInFactory(patient=patient, taken_on=days_ago(14), pain_average=5)
    CheckInFactory(patient=patient, taken_on=days_ago(7), pain_average=5)


@pytest.fixture
def suggestion(patient, calmer):
    return refresh_suggestion(patient)


@pytest.fixture
def ana(practitioner_client):
    """Invited, intake sent with average pain 8, accepted: phase 1 from today."""
    patient = InvitedPatientFactory()
    intake = SubmittedIntakeFactory(patient=patient, measures={"pain_average": "8"})
    kwargs = {"patient_uuid": patient.uuid, "intake_id": intake.pk}
    practitioner_client.post(reverse("patients:accept_intake", kwargs=kwargs))
    return Patient.objects.get(pk=patient.pk)


@pytest.fixture
def history(patient, practitioner, second_practitioner):
    """Four weeks of Ana's course, every value chosen by hand, for the progress page:

    28 days ago  intake: average pain 8, PEG 7, PSFS 3, confidence 3, 60 active minutes
    27 days ago  session 1: pain 7 -> 4; ST36 both sides (2 needles), GV20 midline (1)
    21 days ago  check-in: pain 6, PEG 6.33, PSFS 4, confidence 4, 90 minutes
    14 days ago  check-in: pain 5, PEG 5.67, PSFS 5.33, confidence 6, 120 minutes
    13 days ago  session 2: pain 5 -> 2; LI4 both sides (2), SP6 left (1); a bruise.
                 Phase 2 from that day.
     7 days ago  check-in: pain 4, PEG 4.67, PSFS 6, confidence 7, 150 minutes
    """
    ana, lin = patient, practitioner
    StartedCourseFactory(patient=ana, accepted_by=lin, on=days_ago(28))
    SessionOnDateFactory(
        patient=ana, practitioner=lin, on=days_ago(27), pain_before=7, pain_after=4,
        points=["ST36", ("GV20", "M")],
    )  # fmt: skip
    CheckInFactory(
        patient=ana, taken_on=days_ago(21), pain_average=6, peg="6.33", psfs="4.00",
        confidence=4, active_minutes=90,
    )  # fmt: skip
    CheckInFactory(
        patient=ana, taken_on=days_ago(14), pain_average=5, peg="5.67", psfs="5.33",
        confidence=6, active_minutes=120,
    )  # fmt: skip
    second = SessionOnDateFactory(
        patient=ana, practitioner=lin, on=days_ago(13), pain_before=5, pain_after=2,
        points=["LI4", ("SP6", "L")],
    )  # fmt: skip
    AdverseEventFactory(session=second)
    change_phase(ana, 2, days_ago(13), lin, reason="Pain down by a third")
    CheckInFactory(
        patient=ana, taken_on=days_ago(7), pain_average=4, peg="4.67", psfs="6.00",
        confidence=7, active_minutes=150,
    )  # fmt: skip
    # Someone else's course, which must not leak into Ana's page.
    other = PatientFactory(practitioner=second_practitioner)
    StartedCourseFactory(
        patient=other, accepted_by=second_practitioner, on=days_ago(10), baseline__pain_average=3
    )
    CheckInFactory(patient=other, taken_on=days_ago(3), pain_average=1)
    AdverseEventFactory(
        session=SessionOnDateFactory(
            patient=other, practitioner=second_practitioner, on=days_ago(2), points=["ST36"]
        )
    )
    return patient


# Mail servers on the loopback (tests.mail_helpers)


@pytest.fixture
def smtp_refused(settings):
    """Nothing listens on the port: the connection is refused."""
    use_smtp(settings, free_port())


@pytest.fixture
def smtp_silent(settings):
    """A server that accepts the connection and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    use_smtp(settings, listener.getsockname()[1])
    yield
    listener.close()


@pytest.fixture
def smtp_sink(settings):
    """aiosmtpd listening on the loopback: what it receives lands in the inbox."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    use_smtp(settings, controller.port)
    yield inbox
    controller.stop()
