"""The audit trail: who read or wrote which patient's data, when, and from where.

Three pieces, so a view cannot forget:
- `record()` writes one event; the access helper for each object calls it on every fetch.
- `track(Model)` audits every create, change and delete of that model, wherever it happens
  (views, the admin, the shell), by its save and delete signals.
- `audit.middleware.AuditContextMiddleware` knows the request behind those writes, and
  records a view of any page whose URL names a patient if nothing else recorded one.
"""

import contextvars

from django.db.models.signals import post_delete, post_save

from audit.ip import client_ip
from audit.models import AuditEvent

current_request = contextvars.ContextVar("audit_request", default=None)


def record(action, obj=None, *, patient_uuid=None, detail="", request=None, actor=None):
    event = _event(action, obj, patient_uuid, detail, request, actor)
    event.save()
    return event


def record_many(action, objects, *, detail=""):
    """One event for each of `objects`, in one INSERT (for rows saved with bulk_create,
    which must have given them their ids)."""
    objects = list(objects)
    if any(obj.pk is None for obj in objects):
        raise ValueError("audited rows need their ids: this database's bulk_create gave none")
    return AuditEvent.objects.bulk_create(
        _event(action, obj, None, detail, None, None) for obj in objects
    )


def record_shown(action, objects, *, detail="", request=None):
    """A list, search or export: one event for each of `objects` (patients, or records that
    name their patient), so that "who saw this patient?" finds lists and exports too, by
    the same indexed column as every other read; one event naming no one if nothing was
    shown. The events go in one INSERT a thousand rows."""
    objects = list(objects)
    if not objects:
        return [record(action, detail=detail, request=request)]
    return AuditEvent.objects.bulk_create(
        (_event(action, obj, None, detail, request, None) for obj in objects), batch_size=1000
    )


def _event(action, obj, patient_uuid, detail, request, actor):
    request = request or current_request.get()
    user = getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    if obj is not None and patient_uuid is None:
        patient_uuid = getattr(obj, "audit_patient_uuid", None)
    if request is not None:
        request.audit_recorded = True
    return AuditEvent(
        user=user,
        actor=actor or (user.get_username() if user else getattr(request, "audit_actor", "system")),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        patient_uuid=patient_uuid,
        ip_address=client_ip(request) if request is not None else None,
        detail=detail[:300],
    )


def _on_save(sender, instance, created, raw=False, **kwargs):
    # A model method that saves can say what the save was (`audit_detail`, for this save
    # only), so that one save is one event that says what changed.
    detail = instance.__dict__.pop("audit_detail", "")
    if not raw:
        action = AuditEvent.Action.CREATE if created else AuditEvent.Action.CHANGE
        record(action, instance, detail=detail)


def _on_delete(sender, instance, **kwargs):
    record(AuditEvent.Action.DELETE, instance)


def track(model):
    """Audit every create, change and delete of `model` (a class decorator)."""
    uid = f"audit.{model._meta.label_lower}"
    post_save.connect(_on_save, sender=model, dispatch_uid=f"{uid}.save")
    post_delete.connect(_on_delete, sender=model, dispatch_uid=f"{uid}.delete")
    return model
