"""Writes of a treatment note that span several models: atomic, and audited by the models."""

from django.db import transaction
from django.db.models import Max

from clinic import audit
from clinic.models import AuditEvent
from patients.actions import record_session_readings
from patients.models import Patient
from patients.summary import refresh_summary
from sessions.models import SessionPoint


@transaction.atomic
def save_note(form, point_formset, adverse_event_formset, *, sign_by=None):
    note = form.save(commit=False)
    if note.session_number is None:
        # Lock the patient row so two notes saved at once cannot take the same number.
        Patient.objects.select_for_update().filter(pk=note.patient_id).first()
        last = note.patient.treatment_sessions.aggregate(n=Max("session_number"))["n"]
        note.session_number = (last or 0) + 1
    note.save()
    point_formset.instance = note
    rows = point_formset.save(commit=False)
    for row in point_formset.deleted_objects:
        row.delete()
    order = {id(form.instance): index for index, form in enumerate(point_formset.forms)}
    for row in rows:
        row.session = note
        row.order = order.get(id(row), row.order)
    for row in rows:
        if row.pk is not None:
            row.save()  # changed rows first, freeing any side they leave
    # New points in one INSERT, audited in one more (bulk_create sends no signals); the
    # note was saved as a draft above, so its parts are not locked.
    added = SessionPoint.objects.bulk_create(row for row in rows if row.pk is None)
    audit.record_many(AuditEvent.Action.CREATE, added)
    adverse_event_formset.instance = note
    adverse_event_formset.save()
    record_session_readings(note)
    refresh_summary(note.patient)
    if sign_by is not None:
        note.sign(by=sign_by)
    return note
