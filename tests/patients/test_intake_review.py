"""Practitioners review a submitted intake: the answers, the red flags (CLINICAL.md
section 5), then accepting the intake into the patient's record. (The queue of intakes:
test_intake_queue.py; unreviewed red flags and signing:
tests/sessions/test_red_flags_and_signing.py.)"""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from patients.bodymap import REGIONS
from patients.models import Intake, OutcomeReading, Patient, PsfsActivity, PsfsRating, RedFlagReview
from patients.models.intake import (
    RED_FLAGS,
    SAFE_NEEDS_NOTE,
    SAFETY_QUESTIONS,
    URGENT_NEEDS_REASON,
)
from tests.factories import InvitedPatientFactory, SubmittedIntakeFactory
from tests.html import field_error, field_tag, html, page_text
from tests.intake_helpers import BASELINE_PEG, BASELINE_PSFS, accept_url

DUE = timezone.localdate() + datetime.timedelta(days=120)


def review_url(intake):
    return reverse(
        "patients:intake", kwargs={"patient_uuid": intake.patient.uuid, "intake_id": intake.pk}
    )


def red_flags_url(intake):
    kwargs = {"patient_uuid": intake.patient.uuid, "intake_id": intake.pk}
    return reverse("patients:review_red_flags", kwargs=kwargs)


@pytest.fixture
def plain(invited):
    """An intake without red flags."""
    return SubmittedIntakeFactory(patient=invited)


@pytest.fixture
def flagged(invited):
    """An intake with one urgent and one other red flag, and safety answers to copy."""
    return SubmittedIntakeFactory(patient=invited, flagged=True)


# The review page


def test_an_anonymous_visitor_is_sent_to_log_in_from_the_review(client, plain):
    response = client.get(review_url(plain))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_user_without_a_role_cannot_see_an_intake(outsider_client, plain):
    assert outsider_client.get(review_url(plain)).status_code == 403


def test_an_intake_under_another_patients_uuid_is_a_404(practitioner_client, plain, patient):
    url = reverse("patients:intake", kwargs={"patient_uuid": patient.uuid, "intake_id": plain.pk})
    assert practitioner_client.get(url).status_code == 404


def test_the_review_shows_the_answers_the_regions_and_the_consent(practitioner_client, plain):
    response = practitioner_client.get(review_url(plain))
    assert response.status_code == 200
    page = page_text(response)
    for answer in [
        "Beatriz",
        "12 Mar 1984",
        "Low back pain that spreads into the left buttock.",
        "Walking the dog",
        "Mild asthma",
        "Walk the dog for half an hour without stopping.",
    ]:
        assert answer in page
    assert "Marked areas: Lower back Left buttock" in page
    assert "Consent version 2026.1 signed “Beatriz Costa” on " in page
    assert ", from 127.0.0.1." in page
    assert "Accept the intake" in page
    assert "flags-heading" not in html(response)


def test_viewing_an_intake_is_audited(practitioner_client, practitioner, plain):
    practitioner_client.get(review_url(plain))
    event = AuditEvent.objects.filter(user=practitioner).latest("id")
    assert (event.action, event.patient_uuid) == ("view", plain.patient.uuid)


def test_the_review_shows_the_red_flags_urgent_first_marked(practitioner_client, flagged):
    page = practitioner_client.get(review_url(flagged)).content.decode()
    assert "Urgent red flags: refer for same-day medical assessment" in page
    assert "Treating without a same-day referral needs a written clinical reason." in page
    assert "Urgent</span> <strong>Saddle-area numbness or tingling</strong>: yes" in page
    assert "<strong>Fever, chills or night sweats</strong>: yes" in page
    assert 'name="action"' in page  # the review form
    assert "Record the review of the red flags first." in page


def test_a_clinic_admin_sees_an_intake_but_cannot_act_on_it(admin_client_, flagged):
    page = admin_client_.get(review_url(flagged)).content.decode()
    assert "Walking the dog" in page
    assert 'name="action"' not in page
    assert "Accept the intake" not in page
    assert admin_client_.post(red_flags_url(flagged), {"action": "gp"}).status_code == 403
    assert admin_client_.post(accept_url(flagged)).status_code == 403
    assert not RedFlagReview.objects.exists()
    flagged.refresh_from_db()
    assert flagged.status == "submitted"


def test_a_user_without_a_role_cannot_act_on_an_intake(outsider_client, flagged):
    assert outsider_client.post(red_flags_url(flagged), {"action": "gp"}).status_code == 403
    assert outsider_client.post(accept_url(flagged)).status_code == 403
    assert not RedFlagReview.objects.exists()
    flagged.refresh_from_db()
    assert flagged.status == "submitted"


# Red flags, then accept


def test_accepting_is_refused_while_red_flags_are_unreviewed(practitioner_client, flagged):
    response = practitioner_client.post(accept_url(flagged), follow=True)
    assert response.redirect_chain[0][0] == review_url(flagged)
    assert "Record the review of the red flags before accepting." in response.content.decode()
    flagged.refresh_from_db()
    flagged.patient.refresh_from_db()
    assert flagged.status == "submitted"
    assert flagged.patient.status == Patient.Status.INTAKE_SUBMITTED
    assert not OutcomeReading.objects.exists()
    assert not PsfsActivity.objects.exists()


def test_a_red_flag_review_needs_the_action_taken(practitioner_client, flagged):
    response = practitioner_client.post(red_flags_url(flagged), {"notes": "Called her."})
    assert response.status_code == 400
    assert field_error(response, "action") == "This field is required."
    assert "Called her." in response.content.decode()
    assert not RedFlagReview.objects.exists()


def test_a_red_flag_review_refuses_an_unknown_action(practitioner_client, flagged):
    response = practitioner_client.post(red_flags_url(flagged), {"action": "ignored"})
    assert response.status_code == 400
    assert "Select a valid choice." in field_error(response, "action")
    assert not RedFlagReview.objects.exists()


def test_the_red_flag_review_stores_who_when_and_the_action(
    practitioner_client, practitioner, flagged
):
    before = timezone.now()
    data = {"action": "same_day", "notes": "Sent to A&E; GP informed."}
    response = practitioner_client.post(red_flags_url(flagged), data, follow=True)
    assert response.redirect_chain[0][0] == review_url(flagged)
    review = RedFlagReview.objects.get(intake=flagged)
    assert (review.reviewed_by, review.action) == (practitioner, "same_day")
    assert review.notes == "Sent to A&E; GP informed."
    assert before <= review.reviewed_at <= timezone.now()
    page = response.content.decode()
    assert "Reviewed by Lin Zhao" in page
    assert "Referred for same-day medical assessment." in page
    assert 'name="action"' not in page


def test_a_second_red_flag_review_does_not_replace_the_first(
    client, practitioner, second_practitioner, flagged
):
    client.force_login(practitioner)
    client.post(red_flags_url(flagged), {"action": "same_day"})
    client.force_login(second_practitioner)
    client.post(red_flags_url(flagged), {"action": "safe"})
    review = RedFlagReview.objects.get(intake=flagged)
    assert (review.reviewed_by, review.action) == (practitioner, "same_day")


def test_accepting_makes_the_patient_active_with_the_intakes_details(
    practitioner_client, practitioner, flagged
):
    practitioner_client.post(red_flags_url(flagged), {"action": "same_day"})
    response = practitioner_client.post(accept_url(flagged), follow=True)
    patient = Patient.objects.get(pk=flagged.patient_id)
    assert response.redirect_chain[0][0] == patient.get_absolute_url()
    assert "Intake accepted: Beatriz Costa is active" in response.content.decode()

    assert patient.status == Patient.Status.ACTIVE
    assert (patient.given_name, patient.family_name) == ("Beatriz", "Costa")
    assert patient.date_of_birth == datetime.date(1984, 3, 12)
    assert (patient.email, patient.phone) == ("beatriz.costa@example.org", "07700 900456")
    assert (patient.emergency_contact_name, patient.emergency_contact_phone) == (
        "Rui Costa",
        "07700 900789",
    )
    assert patient.practitioner == practitioner

    flagged.refresh_from_db()
    assert (flagged.status, flagged.accepted_by) == ("accepted", practitioner)
    assert flagged.accepted_at is not None


def test_accepting_copies_the_safety_answers_to_the_patients_flags(practitioner_client, flagged):
    practitioner_client.post(red_flags_url(flagged), {"action": "same_day"})
    practitioner_client.post(accept_url(flagged))
    patient = Patient.objects.get(pk=flagged.patient_id)
    assert patient.anticoagulants is True
    assert patient.needle_fear is True
    assert (patient.pregnant, patient.pregnancy_due_date) == (True, DUE)
    assert patient.lymphoedema_limb == "left_arm"
    for no in [
        "bleeding_disorder",
        "implanted_device",
        "epilepsy",
        "metal_allergy",
        "diabetes_or_neuropathy",
        "immunosuppressed",
    ]:
        assert getattr(patient, no) is False, no
    page = practitioner_client.get(patient.get_absolute_url()).content.decode()
    assert "takes anticoagulant or antiplatelet medicine" in page
    assert "lymphoedema: left arm" in page


def test_accepting_an_intake_without_pregnancy_leaves_no_due_date(practitioner_client, plain):
    practitioner_client.post(accept_url(plain))
    patient = Patient.objects.get(pk=plain.patient_id)
    assert (patient.pregnant, patient.pregnancy_due_date) == (False, None)
    assert patient.anticoagulants is False


def test_accepting_records_the_psfs_activities_and_their_first_ratings(practitioner_client, plain):
    practitioner_client.post(accept_url(plain))
    activities = PsfsActivity.objects.filter(patient=plain.patient_id)
    assert [(a.position, a.name) for a in activities] == [
        (1, "Walking the dog"),
        (2, "Gardening"),
        (3, "Sitting through a film"),
    ]
    ratings = PsfsRating.objects.filter(intake=plain).order_by("activity__position")
    assert [r.value for r in ratings] == [4, 3, 6]
    assert {r.taken_on for r in ratings} == {timezone.localdate(plain.submitted_at)}
    assert {r.checkin for r in ratings} == {None}


def test_accepting_numbers_the_psfs_activities_without_gaps(practitioner_client, invited):
    intake = SubmittedIntakeFactory(
        patient=invited,
        measures={
            "psfs_2": "",
            "psfs_2_rating": "",
            "psfs_4": "Climbing stairs",
            "psfs_4_rating": "2",
        },
    )
    practitioner_client.post(accept_url(intake))
    activities = PsfsActivity.objects.filter(patient=invited)
    assert [(a.position, a.name) for a in activities] == [
        (1, "Walking the dog"),
        (2, "Sitting through a film"),
        (3, "Climbing stairs"),
    ]
    assert [r.value for r in PsfsRating.objects.order_by("activity__position")] == [4, 6, 2]


def test_accepting_records_the_baseline_readings(practitioner_client, plain):
    practitioner_client.post(accept_url(plain))
    readings = OutcomeReading.objects.filter(patient=plain.patient_id)
    assert {r.measure: r.value for r in readings} == {
        "pain_now": Decimal("6"),
        "pain_average": Decimal("7"),
        "pain_worst": Decimal("9"),
        "enjoyment": Decimal("6"),
        "activity": Decimal("7"),
        "peg": Decimal(BASELINE_PEG),
        "psfs": Decimal(BASELINE_PSFS),
        "confidence": Decimal("4"),
        "active_minutes": Decimal("90"),
    }
    assert {(r.source, r.intake_id) for r in readings} == {("intake", plain.pk)}
    assert {r.taken_on for r in readings} == {timezone.localdate(plain.submitted_at)}


def test_accepting_twice_does_nothing_more(practitioner_client, plain):
    practitioner_client.post(accept_url(plain))
    plain.refresh_from_db()
    counts = (OutcomeReading.objects.count(), PsfsActivity.objects.count())
    response = practitioner_client.post(accept_url(plain), follow=True)
    assert "Only a submitted intake can be accepted." in response.content.decode()
    assert (OutcomeReading.objects.count(), PsfsActivity.objects.count()) == counts
    assert PsfsRating.objects.count() == 3
    again = Intake.objects.get(pk=plain.pk)
    assert (again.accepted_at, again.status) == (plain.accepted_at, "accepted")


def test_accepting_assigns_an_unassigned_patient_to_the_acceptor(practitioner_client, practitioner):
    intake = SubmittedIntakeFactory(
        patient=InvitedPatientFactory(given_name="Una", family_name="Assigned", unassigned=True)
    )
    practitioner_client.post(accept_url(intake))
    assert Patient.objects.get(pk=intake.patient_id).practitioner == practitioner


def test_accepting_keeps_the_assigned_practitioner(
    client, practitioner, second_practitioner, plain
):
    client.force_login(second_practitioner)
    client.post(accept_url(plain))
    assert Patient.objects.get(pk=plain.patient_id).practitioner == practitioner


def test_an_intake_that_would_duplicate_a_patient_is_not_accepted(practitioner_client, plain):
    Patient.objects.create(
        given_name="beatriz", family_name="COSTA", date_of_birth=datetime.date(1984, 3, 12)
    )
    response = practitioner_client.post(accept_url(plain), follow=True)
    assert "The intake cannot be accepted as it is" in response.content.decode()
    plain.refresh_from_db()
    assert plain.status == "submitted"
    assert not OutcomeReading.objects.exists()


def test_a_second_submitted_intake_of_an_accepted_patient_is_refused_cleanly(
    practitioner_client, invited
):
    first = SubmittedIntakeFactory(patient=invited)
    second = SubmittedIntakeFactory(patient=invited)
    practitioner_client.post(accept_url(first))
    response = practitioner_client.post(accept_url(second))
    assert response.status_code == 302
    assert PsfsActivity.objects.filter(patient=invited).count() == 3


# Urgent red flags are referrals (CLINICAL.md section 5)


@pytest.fixture
def ordinary(invited):
    """An intake with one red flag, not urgent (fever)."""
    return SubmittedIntakeFactory(patient=invited, red_flags={"fever": "yes"})


def test_an_urgent_review_starts_at_a_same_day_referral(practitioner_client, flagged):
    response = practitioner_client.get(review_url(flagged))
    assert "checked" in field_tag(response, "id_action_0")  # same_day, the first choice
    assert "Clinical reason, if not referred today" in response.content.decode()


def test_an_ordinary_review_starts_with_no_action_chosen(practitioner_client, ordinary):
    response = practitioner_client.get(review_url(ordinary))
    assert "checked" not in field_tag(response, "id_action_0")


@pytest.mark.parametrize("action", ["safe", "gp", "other"])
def test_an_urgent_flag_is_not_left_unreferred_without_a_reason(
    practitioner_client, flagged, action
):
    response = practitioner_client.post(red_flags_url(flagged), {"action": action, "notes": " "})
    assert response.status_code == 400
    assert field_error(response, "notes") == URGENT_NEEDS_REASON
    index = ["same_day", "gp", "safe", "other"].index(action)
    assert "checked" in field_tag(response, f"id_action_{index}")  # as chosen
    assert not RedFlagReview.objects.exists()


def test_an_urgent_flag_treated_with_a_written_reason_is_recorded(practitioner_client, flagged):
    reason = "Saddle tingling for 10 years after a birth injury, assessed by neurology in 2023."
    data = {"action": "safe", "notes": reason}
    response = practitioner_client.post(red_flags_url(flagged), data, follow=True)
    assert response.status_code == 200
    review = RedFlagReview.objects.get(intake=flagged)
    assert (review.action, review.notes, review.urgent) == ("safe", reason, True)


def test_an_urgent_flag_referred_the_same_day_needs_no_note(practitioner_client, flagged):
    practitioner_client.post(red_flags_url(flagged), {"action": "same_day"})
    assert RedFlagReview.objects.get(intake=flagged).action == "same_day"


def test_an_ordinary_flag_safe_to_treat_needs_a_note(practitioner_client, ordinary):
    response = practitioner_client.post(red_flags_url(ordinary), {"action": "safe"})
    assert response.status_code == 400
    assert field_error(response, "notes") == SAFE_NEEDS_NOTE
    assert not RedFlagReview.objects.exists()


def test_an_ordinary_flag_referred_to_the_gp_needs_no_note(practitioner_client, ordinary):
    practitioner_client.post(red_flags_url(ordinary), {"action": "gp"})
    assert (RedFlagReview.objects.get(intake=ordinary).action, ordinary.urgent) == ("gp", False)


def test_an_ordinary_flag_safe_to_treat_with_a_note_is_recorded(practitioner_client, ordinary):
    practitioner_client.post(red_flags_url(ordinary), {"action": "safe", "notes": "Had a cold."})
    assert RedFlagReview.objects.get(intake=ordinary).notes == "Had a cold."


@pytest.mark.parametrize(
    ("urgent", "action", "notes", "refused"),
    [
        (True, "safe", "", True),
        (True, "gp", "", True),
        (True, "other", "", True),
        (True, "same_day", "", False),
        (True, "safe", "Reason.", False),
        (False, "safe", "", True),
        (False, "other", "", True),
        (False, "gp", "", False),
        (False, "same_day", "", False),
    ],
)
def test_the_database_holds_the_reason_rule(practitioner, invited, urgent, action, notes, refused):
    intake = SubmittedIntakeFactory(patient=invited, red_flags={"fever": "yes"})
    review = RedFlagReview(
        intake=intake, urgent=urgent, reviewed_by=practitioner, action=action, notes=notes
    )
    if refused:
        with pytest.raises(IntegrityError), transaction.atomic():
            review.save()
        assert not RedFlagReview.objects.exists()
    else:
        review.save()


def test_accepting_copies_skin_infection_and_lymphoedema_of_both_arms(practitioner_client, invited):
    health = {"skin_infection": "yes", "lymphoedema_limb": "both_arms"}
    intake = SubmittedIntakeFactory(patient=invited, health=health)
    practitioner_client.post(accept_url(intake))
    patient = Patient.objects.get(pk=invited.pk)
    assert (patient.skin_infection, patient.lymphoedema_limb) == (True, "both_arms")
    page = practitioner_client.get(patient.get_absolute_url()).content.decode()
    assert "skin infection or broken skin at a site" in page
    assert "lymphoedema: both arms" in page


def test_a_health_step_answered_before_the_skin_question_is_accepted_as_no(
    practitioner_client, invited
):
    intake = SubmittedIntakeFactory(patient=invited)
    intake.answers["health"].pop("skin_infection", None)
    intake.save()
    practitioner_client.post(accept_url(intake))
    assert Patient.objects.get(pk=invited.pk).skin_infection is False


# The page's query count does not grow with what the intake holds

EVERY_SAFETY_ANSWER = {key: "yes" for key, _ in SAFETY_QUESTIONS} | {"lymphoedema_limb": "left_arm"}
FIVE_ACTIVITIES = {"psfs_4": "Climbing stairs", "psfs_4_rating": "2"} | {
    "psfs_5": "Carrying shopping",
    "psfs_5_rating": "5",
}


@pytest.mark.parametrize("size", ["small", "large"])
def test_the_review_query_count_does_not_grow_with_the_answers(
    practitioner_client, practitioner, invited, size, django_assert_num_queries
):
    if size == "small":  # no red flags, two areas, three activities
        intake = SubmittedIntakeFactory(patient=invited)
    else:  # every red flag and safety answer yes, every area, five activities, reviewed
        intake = SubmittedIntakeFactory(
            patient=invited,
            red_flags={key: "yes" for key, _, _ in RED_FLAGS},
            health=EVERY_SAFETY_ANSWER,
            pain={"regions": [key for key, _ in REGIONS]},
            measures=FIVE_ACTIVITIES,
        )
        RedFlagReview.objects.create(
            intake=intake, urgent=True, reviewed_by=practitioner, action="same_day"
        )
        for n in range(4):
            SubmittedIntakeFactory(patient=InvitedPatientFactory(given_name=f"Other{n}"))
    url = review_url(intake)
    # 1 session, 2 user, 3 permissions, 4 the patient with their practitioner and summary,
    # 5 audit insert (the view of the patient), 6 the intake with its consent version and
    # red-flag review. The summary, the map and the answers come from the intake's row.
    with django_assert_num_queries(6):
        response = practitioner_client.get(url)
    assert response.status_code == 200
    summary = response.context["summary"]
    drawn = [area for area in summary.front + summary.back if area.marked]
    assert (len(drawn), len(summary.psfs.items)) == ((2, 3) if size == "small" else (38, 5))
    assert len(summary.red_flags) == (0 if size == "small" else len(RED_FLAGS))
