"""Writes that span several models: atomic, and audited through the models they touch."""

from django.db import transaction
from django.utils import timezone

from audit import trail
from audit.models import AuditEvent
from patients import bodymap
from patients.models import (
    CheckIn,
    Intake,
    OutcomeReading,
    Patient,
    PatientSummary,
    Phase,
    PsfsActivity,
    PsfsRating,
)
from patients.models.readings import CHECKIN_SCORES
from patients.progress import change_phase, refresh_suggestion
from patients.scoring import peg_score, psfs_score

Measure = OutcomeReading.Measure


class IntakeIncomplete(Exception):
    def __init__(self, missing):
        super().__init__(f"steps not answered: {', '.join(missing)}")
        self.missing = missing


@transaction.atomic
def submit_intake(intake_id, consent_version, ip_address):
    """Close the intake for review. A second submit (double click) changes nothing."""
    Patient.objects.lock(Intake.objects.values_list("patient", flat=True).get(pk=intake_id))
    intake = Intake.objects.select_for_update().select_related("link", "patient").get(pk=intake_id)
    if intake.status != Intake.Status.STARTED:
        return intake
    if missing := intake.missing_steps():
        raise IntakeIncomplete(missing)
    now = timezone.now()
    flags = intake.answered_red_flags()
    intake.red_flags = flags
    intake.has_red_flags = bool(flags)
    intake.urgent = intake.answered_urgent()
    intake.pain_regions = bodymap.parts_mask(intake.answers["pain"].get("regions", []))
    intake.status = Intake.Status.SUBMITTED
    intake.submitted_at = now
    intake.consent_version = consent_version
    intake.consent_name = intake.answers["consent"]["signature"]
    intake.consent_at = now
    intake.consent_ip = ip_address
    intake.reminder_consent = bool(intake.answers["consent"].get("reminders"))
    intake.save()
    intake.link.closed_at = now
    intake.link.save(update_fields=["closed_at"])
    patient = intake.patient
    if patient.status == Patient.Status.INVITED:
        patient.status = Patient.Status.INTAKE_SUBMITTED
        patient.save(update_fields=["status", "updated_at"])
        PatientSummary.objects.refresh(patient)  # the status it copies
    return intake


@transaction.atomic
def accept_intake(intake, by):
    """Make the patient active with the intake's details, safety answers and baseline.
    Two accepts at once: the second finds it accepted and changes nothing."""
    Patient.objects.lock(intake.patient_id)
    intake = Intake.objects.select_for_update().select_related("patient").get(pk=intake.pk)
    if intake.status != Intake.Status.SUBMITTED:
        return intake.patient
    patient = intake.patient
    measures = intake.answers["measures"]
    intake.fill_record(patient)
    patient.reminder_consent = intake.reminder_consent
    patient.status = Patient.Status.ACTIVE
    if patient.practitioner_id is None:
        patient.practitioner = by
    patient.full_clean(exclude=["practitioner"])
    patient.save()

    taken_on = timezone.localdate(intake.submitted_at)
    named = intake.psfs_answers()
    activities = PsfsActivity.objects.bulk_create(
        PsfsActivity(patient=patient, name=name, position=position)
        for position, (name, _) in enumerate(named, start=1)
    )
    ratings = [rating for _, rating in named]
    PsfsRating.objects.bulk_create(
        PsfsRating(activity=activity, value=value, taken_on=taken_on, intake=intake)
        for activity, value in zip(activities, ratings, strict=True)
    )
    values = {
        Measure.PAIN_NOW: measures["pain_now"],
        Measure.PAIN_AVERAGE: measures["pain_average"],
        Measure.PAIN_WORST: measures["pain_worst"],
        Measure.ENJOYMENT: measures["enjoyment"],
        Measure.ACTIVITY: measures["activity"],
        Measure.PEG: peg_score(
            measures["pain_average"], measures["enjoyment"], measures["activity"]
        ),
        Measure.PSFS: psfs_score(ratings),
        Measure.CONFIDENCE: measures["confidence"],
        Measure.ACTIVE_MINUTES: measures["active_minutes"],
    }
    OutcomeReading.objects.record(values, patient_id=patient.pk, taken_on=taken_on, intake=intake)
    intake.status = Intake.Status.ACCEPTED
    intake.accepted_at = timezone.now()
    intake.accepted_by = by
    intake.save(update_fields=["status", "accepted_at", "accepted_by", "updated_at"])
    # The phase change refreshes the summary, once, for everything written above.
    change_phase(patient, Phase.CALM, taken_on, by, reason="Intake accepted")
    trail.record(AuditEvent.Action.CREATE, intake, detail="baseline readings from intake")
    return patient


@transaction.atomic
def record_checkin(patient, link, cleaned, activities):
    """Today's check-in (a second one today replaces the first) and its readings."""
    Patient.objects.lock(patient.pk)
    today = timezone.localdate()
    fields = CHECKIN_SCORES
    checkin, _ = CheckIn.objects.update_or_create(
        patient=patient,
        taken_on=today,
        defaults={"link": link, **{name: cleaned[name] for name in fields}},
    )
    checkin.readings.all().delete()
    checkin.psfs_ratings.all().delete()
    ratings = [cleaned[f"psfs_{activity.pk}"] for activity in activities]
    PsfsRating.objects.bulk_create(
        PsfsRating(activity=activity, value=value, taken_on=today, checkin=checkin)
        for activity, value in zip(activities, ratings, strict=True)
    )
    values = {name: cleaned[name] for name in fields}
    values[Measure.PEG] = peg_score(
        cleaned["pain_average"], cleaned["enjoyment"], cleaned["activity"]
    )
    if len(ratings) >= 3:
        values[Measure.PSFS] = psfs_score(ratings)
    OutcomeReading.objects.record(values, patient_id=patient.pk, taken_on=today, checkin=checkin)
    link.last_used_at = timezone.now()
    link.save(update_fields=["last_used_at"])
    PatientSummary.objects.refresh(patient)
    refresh_suggestion(patient)
    return checkin


def record_session_readings(session):
    """A session's pain before and after, as readings (called inside save_session's atomic)."""
    session.readings.all().delete()
    values = {
        Measure.SESSION_PAIN_BEFORE: session.pain_before,
        Measure.SESSION_PAIN_AFTER: session.pain_after,
    }
    taken_on = timezone.localdate(session.started_at)
    OutcomeReading.objects.record(
        values, patient_id=session.patient_id, taken_on=taken_on, session=session
    )
