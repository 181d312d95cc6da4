"""The forms of a patient's course: their check-in through the link, and the
practitioner's change of phase."""

from django import forms
from django.utils import timezone

from core.text import NoControlCharacters
from patients.forms.intake import MeasuresForm, psfs_rating_field
from patients.models import Phase
from patients.models.readings import CHECKIN_SCORES


class CheckInForm(NoControlCharacters, forms.Form):
    def __init__(self, *args, activities, **kwargs):
        super().__init__(*args, **kwargs)
        measures = MeasuresForm()
        for name in CHECKIN_SCORES:
            self.fields[name] = measures.fields[name]
        self.activities = activities
        for activity in activities:
            self.fields[f"psfs_{activity.pk}"] = psfs_rating_field(
                f"How well can you do this now: {activity.name}?"
            )

    def activity_fields(self):
        return [self[f"psfs_{activity.pk}"] for activity in self.activities]


class PhaseChangeForm(NoControlCharacters, forms.Form):
    phase = forms.TypedChoiceField(choices=Phase.choices, coerce=int, label="New phase")
    started_on = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(max_length=300, required=False, label="Reason")

    def __init__(self, *args, patient, **kwargs):
        super().__init__(*args, **kwargs)
        self.patient = patient
        self.fields["started_on"].initial = timezone.localdate

    def clean_phase(self):
        phase = self.cleaned_data["phase"]
        current = self.patient.phase_changes.order_by("-started_on", "-id").first()
        if current and current.phase == phase:
            raise forms.ValidationError(f"The patient is already in phase {phase}.")
        return phase

    def clean_started_on(self):
        started = self.cleaned_data["started_on"]
        if started > timezone.localdate():
            raise forms.ValidationError("A phase cannot start in the future.")
        first = self.patient.phase_changes.order_by("started_on").first()
        if first and started < first.started_on:
            raise forms.ValidationError(
                f"The course began on {first.started_on:%-d %b %Y}, with the intake."
            )
        current = self.patient.phase_changes.order_by("-started_on", "-id").first()
        if current and started < current.started_on:
            raise forms.ValidationError(
                f"The current phase began on {current.started_on:%-d %b %Y}; a new one cannot "
                "start before it."
            )
        return started
