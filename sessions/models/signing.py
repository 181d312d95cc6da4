"""A treatment note's rules: who may edit and sign it, what stops it being saved or signed,
the signing itself under the note's lock, and the amendments that follow a signed note.

Every message of these rules is typed here once; the views, the forms and the admin ask
the note (SessionRules, mixed into TreatmentSession) and show what it answers.
"""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from audit import trail
from patients.models import Patient
from sessions import safety

SIGNED_MESSAGE = "This note is signed and cannot be changed. Add an amendment instead."
LOCKED_MESSAGE = "This note is signed and cannot be changed; add an amendment."
ALREADY_SIGNED = "This note is already signed."
NOT_THE_AUTHOR = "Only the practitioner who wrote this draft can edit or sign it."
UNREVIEWED_RED_FLAGS = (
    "Red flags from the intake have not been reviewed: record the review on the intake "
    "before signing the first note."
)
NOT_AMENDED = "A draft is edited, not amended."
ARCHIVED_PATIENT = "This patient is archived. Restore the record before logging a session."
AMENDMENT_KEPT = "An amendment is part of the signed record and cannot be changed or removed."
# What STRICTA 2010 expects of a note and it may lack: (key, what the note then has). A
# practitioner signs past each knowingly; the note keeps the list ("signed with: ...").
MISSING_DETAILS = [
    ("notes", "no notes text"),
    ("response", "no response obtained"),
    ("retention", "no retention time"),
    ("needle_type", "no needle type"),
]
MISSING_FIELD = "signed_with"  # the field a missing detail's refusal is given under
MISSING_NOT_ACCEPTED = "The note has {what}: tick it to sign without it."


class SessionConflict(ValidationError):
    """What was asked is not possible in the state the note (or its patient) is in."""


class SignedSessionError(SessionConflict):
    """The note is signed: nothing of it may change (amend it instead)."""


class SigningRefused(ValidationError):
    """The note may not be saved, or signed, as it is: every reason at once.

    `problems` holds them as (field, message) pairs, field "" for the note as a whole;
    `messages` is the messages alone, in the same order."""

    def __init__(self, problems):
        super().__init__([message for _, message in problems])
        self.problems = list(problems)

    def by_field(self, fields):
        """The reasons for form.add_error(None, ...): each under its field when the form
        has one by that name, else for the form as a whole."""
        grouped = {}
        for field, message in self.problems:
            grouped.setdefault(field if field in fields else NON_FIELD_ERRORS, []).append(message)
        return ValidationError(grouped)


class StaleDraft(ValidationError):
    """The draft was saved elsewhere since this copy of it was opened (another tab)."""

    def __init__(self, stored):
        super().__init__("This draft was saved elsewhere after you opened it.")
        self.stored = stored


def refuse_if_signed(session):
    """The parts of a signed note are locked with it."""
    if getattr(session, "_signed_in_db", False):
        raise SignedSessionError(LOCKED_MESSAGE)


class SessionRules:
    """The rules of one treatment note, mixed into TreatmentSession."""

    def may_edit(self, user):
        return self.edit_refusal(user) is None

    def edit_refusal(self, user):
        """Why `user` may not edit or sign this note, or None if they may: SignedSessionError
        when it is signed, SigningRefused when they did not write it."""
        if self.is_signed:
            return SignedSessionError(SIGNED_MESSAGE)
        if user != self.practitioner:
            return SigningRefused([("", NOT_THE_AUTHOR)])
        return None

    def amend_refusal(self):
        """Why this note may not be amended, or None: only a signed note is."""
        return None if self.is_signed else SessionConflict(NOT_AMENDED)

    @property
    def version(self):
        """What a form carries to tell a stale copy of this draft (another tab's)."""
        return self.updated_at.isoformat() if self.updated_at else ""

    def warnings(self, point_sides=None):
        """The safety review of this note (sessions.safety), for its points as stored or
        for `point_sides` ((AcupuncturePoint, side) pairs) about to be stored."""
        if point_sides is None:
            point_sides = self.point_sides
        return safety.review(self.patient, point_sides, self.electrical)

    def cautions(self, point_sides=None):
        """The cautions to acknowledge, each once."""
        return safety.cautions(self.warnings(point_sides))

    def acknowledged_keys(self):
        """The cautions acknowledged and stored on this note, by key."""
        if self.pk is None:
            return set()
        return {ack.caution for ack in self.acknowledgements.all()}

    def missing_details(self):
        """What STRICTA expects that this note lacks, as (key, what the note has) pairs."""
        soap = (self.subjective, self.objective, self.assessment, self.plan)
        lacks = {
            "notes": not any(text.strip() for text in soap),
            "response": not self.response_obtained,
            "retention": not self.retention_minutes,
            "needle_type": not self.needle_material.strip(),
        }
        return [(key, what) for key, what in MISSING_DETAILS if lacks[key]]

    def red_flags_block_signing(self):
        """CLINICAL.md section 5: unreviewed red flags stop the first note being signed."""
        patient = self.patient
        if patient.treatment_sessions.filter(status=self.Status.SIGNED).exists():
            return False
        return patient.intakes.filter(has_red_flags=True, red_flag_review__isnull=True).exists()

    def saving_problems(self, point_sides=None, acknowledged=None):
        """What stops this note from being saved: refusals, and pregnancy cautions not
        acknowledged, as (field, message) pairs. `acknowledged` are the keys ticked on the
        session form (which shows the stored ones ticked, to untick); None: those stored."""
        known = self.acknowledged_keys() if acknowledged is None else set(acknowledged)
        blocking = safety.blocking(self.warnings(point_sides), known)
        return [(warning.field, warning.message) for warning in blocking]

    def refusals(self, by, warnings=None):
        """What no acknowledgement lifts, as (field, message) pairs: `by` is not the
        author, a refusal among `warnings` (the note's own by default: electroacupuncture
        with an implanted device), red flags not reviewed before the first note."""
        if warnings is None:
            warnings = self.warnings()
        problems = [] if by == self.practitioner else [("", NOT_THE_AUTHOR)]
        problems += [(w.field, w.message) for w in safety.refusals(warnings)]
        if self.red_flags_block_signing():
            problems.append(("", UNREVIEWED_RED_FLAGS))
        return problems

    def signing_problems(self, by, point_sides=None, acknowledged=(), signed_with=()):
        """Everything that stops `by` from signing this note, as (field, message) pairs:
        empty when they may sign it. `acknowledged` are the cautions they acknowledge now
        (keys), `signed_with` the missing details they sign past (MISSING_DETAILS keys)."""
        warnings = self.warnings(point_sides)
        known = self.acknowledged_keys() | set(acknowledged)
        problems = self.refusals(by, warnings)
        problems += [(w.field, w.message) for w in safety.unacknowledged(warnings, known)]
        problems += [
            (MISSING_FIELD, MISSING_NOT_ACCEPTED.format(what=what))
            for key, what in self.missing_details()
            if key not in signed_with
        ]
        return problems

    def check_may_save(self, point_sides=None, acknowledged=None):
        """Raise SigningRefused with every reason this note may not be saved."""
        if problems := self.saving_problems(point_sides, acknowledged):
            raise SigningRefused(problems)

    def check_may_sign(self, by, point_sides=None, acknowledged=(), signed_with=()):
        """Raise SigningRefused with every reason `by` may not sign this note."""
        if problems := self.signing_problems(by, point_sides, acknowledged, signed_with):
            raise SigningRefused(problems)

    def check_may_correct(self):
        """An admin's correction of this draft: what stops it being saved, and its being
        signed meanwhile. Raises SigningRefused with every reason."""
        problems = self.saving_problems()
        signed = type(self).objects.filter(pk=self.pk, status=self.Status.SIGNED)
        if self.pk and signed.exists():
            problems.insert(0, ("", SIGNED_MESSAGE))
        if problems:
            raise SigningRefused(problems)

    def acknowledge(self, keys, by, point_sides=None, replace=False):
        """Store `by`'s acknowledgement of each of the note's cautions (for its points as
        stored, or `point_sides` just saved) named in `keys` and not yet acknowledged;
        forget those of cautions the note no longer has (a point removed from the draft),
        and with `replace` those not in `keys` (unticked on the session form). Inside the
        caller's transaction."""
        cautions = {warning.key: warning for warning in self.cautions(point_sides)}
        kept = [key for key in cautions if key in keys or not replace]
        self.acknowledgements.exclude(caution__in=kept).delete()
        stored = self.acknowledged_keys()
        for key, caution in cautions.items():  # in the review's order
            if key in keys and key not in stored:
                self.acknowledgements.create(
                    caution=key, message=caution.message[:400], acknowledged_by=by
                )

    def lock_draft(self, version=None, signed_message=SIGNED_MESSAGE):
        """Lock the patient's row, then this note's (the order written at
        patients.models.records.PatientQuerySet), and return the note as stored: still a
        draft (else SignedSessionError) and unchanged since `version` was read, when given
        (else StaleDraft)."""
        Patient.objects.lock(self.patient_id)
        stored = type(self).objects.locked(self.pk)
        if stored.is_signed:
            raise SignedSessionError(signed_message)
        if version is not None and stored.version != version:
            raise StaleDraft(stored)
        return stored

    @transaction.atomic
    def sign(self, by, version=None, acknowledged=(), signed_with=()):
        """Sign the note as `by`, who acknowledges the cautions `acknowledged` (keys) and
        signs past the missing details `signed_with` (MISSING_DETAILS keys). Inside the
        note's row lock it checks again that the stored note is still a draft, unchanged
        since `version` was read (if given), and that every signing rule holds
        (SigningRefused, with every reason), so a draft save or a second sign at the same
        moment cannot undo or repeat it. The acknowledgements are stored, and the missing
        details kept on the note, before it locks."""
        stored = self.lock_draft(version, signed_message=ALREADY_SIGNED)
        stored.check_may_sign(by, acknowledged=acknowledged, signed_with=signed_with)
        stored.acknowledge(acknowledged, by)
        missing = [what for key, what in stored.missing_details() if key in signed_with]
        self.signed_with = stored.signed_with = "; ".join(missing)
        self.status = stored.status = self.Status.SIGNED
        self.signed_by = stored.signed_by = by
        self.signed_at = stored.signed_at = timezone.now()
        fields = ["status", "signed_by", "signed_at", "signed_with", "updated_at"]
        stored.save(update_fields=fields)
        self.updated_at = stored.updated_at
        self._signed_in_db = True


class Amendment(models.Model):
    """A correction or addition to a signed note; the original stays as it was."""

    session = models.ForeignKey(
        "treatment_sessions.TreatmentSession", on_delete=models.PROTECT, related_name="amendments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="amendment_text_set")]

    def __str__(self):
        return f"Amendment by {self.author} on {self.created_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise SignedSessionError(AMENDMENT_KEPT)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise SignedSessionError(AMENDMENT_KEPT)

    @property
    def audit_patient_uuid(self):
        return self.session.patient.uuid


trail.track(Amendment)
