"""The patients app's forms, by topic: the record (records), the intake's steps and its
review (intake), the check-in and the phase change (progress)."""

from patients.forms.intake import (
    STEP_FORMS,
    AboutForm,
    ConsentForm,
    GoalsForm,
    HealthForm,
    MeasuresForm,
    PainForm,
    RedFlagReviewForm,
    RedFlagsForm,
    answer_sections,
    step_form,
)
from patients.forms.progress import CheckInForm, PhaseChangeForm
from patients.forms.records import (
    InviteForm,
    PatientFilterForm,
    PatientForm,
    ReminderSettingsForm,
    SafetyFlagsForm,
)

__all__ = [
    "STEP_FORMS",
    "AboutForm",
    "CheckInForm",
    "ConsentForm",
    "GoalsForm",
    "HealthForm",
    "InviteForm",
    "MeasuresForm",
    "PainForm",
    "PatientFilterForm",
    "PatientForm",
    "PhaseChangeForm",
    "RedFlagReviewForm",
    "RedFlagsForm",
    "ReminderSettingsForm",
    "SafetyFlagsForm",
    "answer_sections",
    "step_form",
]
