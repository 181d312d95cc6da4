"""The patient's own pages (from their link) take the same number of queries whatever
else is in the database: the welcome page, a step with its scales, the review and the
check-in, each at two sizes of the clinic."""

import pytest

from patients.models import PatientLink, PsfsActivity
from tests.factories import (
    CheckInFactory,
    InvitedPatientFactory,
    PatientFactory,
    StartedCourseFactory,
    SubmittedIntakeFactory,
)
from tests.intake_helpers import (
    answer_steps,
    checkin_url,
    intake_link,
    review_url,
    start_url,
    step_url,
)


@pytest.fixture(params=[1, 8], ids=["small clinic", "larger clinic"])
def others(request, db):
    """Other patients with sent intakes and check-ins: none of it on these pages."""
    for n in range(request.param):
        intake = SubmittedIntakeFactory(patient=InvitedPatientFactory(email=f"p{n}@example.org"))
        CheckInFactory(patient=intake.patient)
    return request.param


def test_the_welcome_page(client, invited, others, django_assert_num_queries):
    _, token = intake_link(invited)
    # 1 the link with its patient; 2 the intake, looked for; 3 savepoint, 4 the intake made
    # (first use), 5 its audit event (created), 6 release; 7 the audit event of the view.
    with django_assert_num_queries(7):
        assert client.get(start_url(token)).status_code == 200


def test_a_step_with_scales(client, invited, others, django_assert_num_queries):
    _, token = intake_link(invited)
    answer_steps(client, token, ["about", "pain", "measures"])
    # 1 the link with its patient; 2 the intake; 3 its patient, for the audit event's
    # patient; 4 the audit event of the view.
    with django_assert_num_queries(4):
        assert client.get(step_url(token, "measures")).status_code == 200


def test_the_review(client, invited, others, django_assert_num_queries):
    _, token = intake_link(invited)
    answer_steps(client, token)
    # 1 the link with its patient; 2 the intake; 3 its patient, for the audit event's
    # patient; 4 the audit event of the view.
    with django_assert_num_queries(4):
        assert client.get(review_url(token)).status_code == 200


@pytest.mark.parametrize("weeks", [2, 12])
def test_the_check_in(client, db, weeks, django_assert_num_queries):
    patient = PatientFactory()
    StartedCourseFactory(patient=patient)
    for position in range(1, 4):
        PsfsActivity.objects.create(patient=patient, name=f"Activity {position}", position=position)
    for week in range(weeks):
        CheckInFactory(patient=patient, taken_on=f"2026-{1 + week % 11:02d}-{1 + week // 11:02d}")
    _, token = PatientLink.issue(patient, PatientLink.Purpose.CHECKIN)
    # 1 the link with its patient; 2 the activities; 3 the audit event; 4 the last check-ins.
    with django_assert_num_queries(4):
        assert client.get(checkin_url(token)).status_code == 200
