from audit import trail  # noqa: E402
from patients.models.intake import ConsentVersion, Intake, RedFlagReview
from patients.models.links import PatientLink, token_hash
from patients.models.outcomes import OutcomeWeek
from patients.models.phases import Phase, PhaseChange, PhaseSuggestion
from patients.models.readings import CheckIn, OutcomeReading, PsfsActivity, PsfsRating
from patients.models.records import Limb, Patient, PatientQuerySet, phone_validator
from patients.models.reminders import Reminder
from patients.models.summary import PatientSummary

for _model in (PatientLink, Intake, RedFlagReview, CheckIn, PhaseChange, PhaseSuggestion, Reminder):
    trail.track(_model)

__all__ = [
    "CheckIn",
    "ConsentVersion",
    "Intake",
    "Limb",
    "OutcomeReading",
    "OutcomeWeek",
    "Patient",
    "PatientLink",
    "PatientQuerySet",
    "PatientSummary",
    "Phase",
    "PhaseChange",
    "PhaseSuggestion",
    "PsfsActivity",
    "PsfsRating",
    "RedFlagReview",
    "Reminder",
    "phone_validator",
    "token_hash",
]
