from django import forms
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.forms import StaleEditGuard
from core.text import NoControlCharacters
from patients.models import Patient, Phase
from staff.roles import PRACTITIONERS


def practitioner_choices():
    return (
        get_user_model()
        .objects.filter(groups__name=PRACTITIONERS, is_active=True)
        .select_related("practitioner_profile")
        .order_by("first_name", "last_name", "username")
    )


class PractitionerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return practitioner_name(user)


def practitioner_name(user):
    profile = getattr(user, "practitioner_profile", None)
    return (profile and profile.display_name) or user.get_full_name() or user.get_username()


UNIQUE_NAME_DOB = next(
    constraint
    for constraint in Patient._meta.constraints
    if constraint.name == "patient_unique_name_dob"
)


class PatientForm(StaleEditGuard, NoControlCharacters, forms.ModelForm):
    practitioner = PractitionerChoiceField(
        queryset=None, required=False, label="Assigned practitioner"
    )

    class Meta:
        model = Patient
        fields = [
            "given_name",
            "family_name",
            "date_of_birth",
            "sex",
            *Patient.CONTACT_FIELDS,
            "practitioner",
            "status",
        ]
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        labels = {"emergency_contact_name": "Emergency contact (name)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practitioner"].queryset = practitioner_choices()
        self.fields["date_of_birth"].required = True
        self.fields["phone"].widget.attrs.update(type="tel", autocomplete="off")
        self.fields["emergency_contact_phone"].widget.attrs.update(type="tel")
        self.fields["emergency_contact_phone"].label = "Emergency contact (phone)"
        # Archiving has its own button, with a confirmation.
        self.fields["status"].choices = [
            choice for choice in Patient.Status.choices if choice[0] != Patient.Status.ARCHIVED
        ]
        if self.instance.is_archived:
            del self.fields["status"]

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born > timezone.localdate():
            raise forms.ValidationError("The date of birth cannot be in the future.")
        if born.year < 1900:
            raise forms.ValidationError("Enter a date of birth after 1900.")
        return born

    def save_unless_duplicate(self):
        """Save the patient, or None if the same patient (name and date of birth) was saved
        by another request since this form was validated: the form then says so, as its
        own check would have."""
        try:
            with transaction.atomic():
                return self.save()
        except IntegrityError as error:
            if UNIQUE_NAME_DOB.name not in str(error):
                raise
        self.add_error(None, UNIQUE_NAME_DOB.violation_error_message)
        return None


class PatientFilterForm(NoControlCharacters, forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Name, email or phone"}),
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "All but archived")] + list(Patient.Status.choices),
    )
    practitioner = PractitionerChoiceField(
        label="Practitioner", required=False, queryset=None, empty_label="Any practitioner"
    )
    phase = forms.TypedChoiceField(
        label="Phase",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any phase")] + list(Phase.choices),
    )
    need = forms.ChoiceField(
        label="Needs",
        required=False,
        choices=[
            ("", "Anything"),
            ("suggestion", "A phase suggestion waiting"),
            ("red_flags", "Red flags not reviewed"),
            ("quiet", "No reading in 14 days"),
            ("responder", "Responders (30 % better)"),
        ],
    )

    sort = forms.ChoiceField(
        label="Order",
        required=False,
        choices=[
            ("name", "Name"),
            ("-last_visit", "Last visit, newest first"),
            ("last_visit", "Last visit, oldest first"),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practitioner"].queryset = practitioner_choices()

    def ordered(self, queryset):
        """`queryset` (annotated with last_visit) in the order chosen; by name unless told."""
        sort = self.cleaned_data.get("sort") if self.is_bound else ""
        if sort == "-last_visit":
            return queryset.order_by(F("last_visit").desc(nulls_last=True), "family_name", "id")
        if sort == "last_visit":
            return queryset.order_by(F("last_visit").asc(nulls_first=True), "family_name", "id")
        return queryset

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("q"):
            queryset = queryset.search(data["q"])
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        else:
            queryset = queryset.exclude(status=Patient.Status.ARCHIVED)
        if data.get("practitioner"):
            queryset = queryset.filter(practitioner=data["practitioner"])
        if data.get("phase"):
            queryset = queryset.filter(summary__phase=data["phase"])
        if data.get("need"):
            queryset = queryset.filter(pk__in=Patient.objects.needing(data["need"]).values("pk"))
        return queryset


class SafetyFlagsForm(StaleEditGuard, NoControlCharacters, forms.ModelForm):
    class Meta:
        model = Patient
        fields = [
            "pregnant",
            "pregnancy_due_date",
            "pregnancy_trimester",
            *Patient.CONDITION_FLAGS,
            "lymphoedema_limb",
            "safety_notes",
        ]
        widgets = {
            "pregnancy_due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "safety_notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"pregnancy_due_date": "Due date", "pregnancy_trimester": "Trimester"}
        help_texts = {
            "lymphoedema_limb": "A point needled on this limb is a caution that names it.",
            "skin_infection": "Say where under “other safety notes”.",
        }

    def clean(self):
        data = super().clean()
        if not data.get("pregnant"):
            for name in ["pregnancy_due_date", "pregnancy_trimester"]:
                if data.get(name):
                    self.add_error(name, "Tick “pregnant” too, or leave this empty.")
        return data


class InviteForm(NoControlCharacters, forms.ModelForm):
    """A new patient, invited to fill in their intake: the rest comes from them."""

    class Meta:
        model = Patient
        fields = ["given_name", "family_name", "email", "phone"]
        help_texts = {"email": "The intake link is emailed here. Without one, copy the link."}

    def clean(self):
        data = super().clean()
        same = Patient.objects.exclude(status=Patient.Status.ARCHIVED).filter(
            given_name__iexact=data.get("given_name", ""),
            family_name__iexact=data.get("family_name", ""),
        )
        if data.get("email") and same.filter(email__iexact=data["email"]).exists():
            raise forms.ValidationError(
                "A patient with this name and email is already registered: open their record "
                "and send the link from there."
            )
        return data


class ReminderSettingsForm(StaleEditGuard, forms.ModelForm):
    """How often the patient is reminded to check in, how, and whether they agree."""

    class Meta:
        model = Patient
        fields = ["checkin_cadence", "reminder_channel", "reminder_consent"]
        labels = {"checkin_cadence": "How often", "reminder_channel": "By"}
        help_texts = {
            "reminder_consent": (
                "Asked on the intake's consent step. Tick only with the patient's agreement."
            ),
        }

    def save(self, commit=True):
        if self.instance.reminder_consent:  # agreed again since an unsubscribe
            self.instance.reminders_unsubscribed_at = None
        return super().save(commit)
