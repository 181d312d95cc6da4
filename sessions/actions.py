"""Writes of a treatment note that span several models: atomic, and audited by the models."""

from django.db import transaction
from django.db.models import Max

from audit import trail
from audit.models import AuditEvent
from patients.actions import record_session_readings
from patients.models import Patient, PatientSummary
from sessions.models import SessionPoint, TreatmentSession


@transaction.atomic
def save_session(form, point_formset, adverse_event_formset, *, version=None, by=None):
    """Save a note from its valid forms, with `by`'s acknowledgements of the cautions ticked
    on it (form.cleaned_data["acknowledge"]: the form shows the stored ones ticked, and one
    unticked there is forgotten).

    Under the patient's and then the note's row lock (the order at PatientQuerySet.lock)
    it checks the stored note again: still a draft (SignedSessionError), not saved elsewhere
    since `version` was read (StaleDraft), and the safety rules still hold for the patient
    as stored now (SigningRefused). Nothing is written when one fails."""
    session = form.save(commit=False)
    acknowledged = form.cleaned_data.get("acknowledge", set())
    if session.pk is None:
        Patient.objects.lock(session.patient_id)
        last = session.patient.treatment_sessions.aggregate(n=Max("session_number"))["n"]
        session.session_number = (last or 0) + 1
    else:
        session.lock_draft(version)
    session.patient.refresh_from_db()  # its safety flags as they are under the lock
    point_sides = point_formset.chosen_point_sides()
    session.check_may_save(point_sides, acknowledged)
    session.save()
    point_formset.instance = session
    rows = point_formset.save(commit=False)
    for row in point_formset.deleted_objects:
        row.delete()
    order = {id(form.instance): index for index, form in enumerate(point_formset.forms)}
    for row in rows:
        row.session = session
        row.order = order.get(id(row), row.order)
    for row in rows:
        if row.pk is not None:
            row.save()  # changed rows first, freeing any side they leave
    # New points in one INSERT, audited in one more (bulk_create sends no signals); the
    # note was saved as a draft above, so its parts are not locked.
    added = SessionPoint.objects.bulk_create(row for row in rows if row.pk is None)
    trail.record_many(AuditEvent.Action.CREATE, added)
    adverse_event_formset.instance = session
    adverse_event_formset.save()
    session.acknowledge(acknowledged, by or session.practitioner, point_sides, replace=True)
    note_saved(session)
    return session


def note_saved(session):
    """What follows a note's save: its pain readings and the patient's summary. Once in
    each transaction that writes a note: save_session's, and the admin's correction of a
    draft (TreatmentSessionAdmin.save_related, after the note's parts)."""
    record_session_readings(session)
    PatientSummary.objects.refresh(session.patient)


@transaction.atomic
def delete_drafts(notes):
    """Delete the drafts among the queryset `notes` (a signed note is kept) and rewrite
    their patients' summaries."""
    drafts = notes.filter(status=TreatmentSession.Status.DRAFT)
    patients = Patient.objects.filter(pk__in=list(drafts.values_list("patient", flat=True)))
    drafts.delete()
    PatientSummary.objects.refresh_many(patients)
