from patients.models.intake import ConsentVersion, Intake, RedFlagReview
from patients.models.links import PatientLink, token_hash
from patients.models.readings import CheckIn, OutcomeReading, PsfsActivity, PsfsRating
from patients.models.records import Limb, Patient, PatientQuerySet, phone_validator

__all__ = [
    "CheckIn",
    "ConsentVersion",
    "Intake",
    "Limb",
    "OutcomeReading",
    "Patient",
    "PatientLink",
    "PatientQuerySet",
    "PsfsActivity",
    "PsfsRating",
    "RedFlagReview",
    "phone_validator",
    "token_hash",
]
