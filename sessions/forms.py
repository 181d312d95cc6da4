from datetime import timedelta

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone

from core.text import NoControlCharacters
from sessions.models import (
    SECOND_FREQUENCY_ONLY_DENSE_DISPERSE,
    AcupuncturePoint,
    AdverseEvent,
    Amendment,
    SessionPoint,
    TreatmentSession,
    resolve_code,
    side_error,
    typed_codes,
)

EARLIEST_YEAR = 2000
PAIN_WIDGET = forms.NumberInput(attrs={"inputmode": "numeric"})


POINT_ROW_FIELDS = [
    "point", "side", "needles_per_side", "depth_mm", "manual_technique", "needle_diameter_mm",
    "needle_length_mm",
]  # fmt: skip


class CautionKeysField(forms.MultipleChoiceField):
    """The cautions ticked as acknowledged, by key (sessions.safety.KEYS). Which cautions a
    note has depends on the points posted beside it, so any short key is taken here and the
    note keeps only its own (SessionRules.acknowledge)."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def valid_value(self, value):
        return 0 < len(value) <= 80

    def clean(self, value):
        return set(super().clean(value)[:MAX_CAUTIONS])


MAX_CAUTIONS = 400  # more cautions than any note has


class SessionForm(NoControlCharacters, forms.ModelForm):
    acknowledge = CautionKeysField(label="Cautions acknowledged")

    class Meta:
        model = TreatmentSession
        fields = [
            "started_at", "style", "pain_before", "pain_after",
            "tongue_body", "tongue_coating", "tongue_shape", "pulse", "pattern_diagnosis",
            "treatment_principle", "subjective", "objective", "assessment", "plan",
            "needle_diameter_mm", "needle_length_mm", "needle_material", "depth_mm",
            "retention_minutes", "manual_technique", "electrical", "electro_frequency_hz",
            "electro_frequency_2_hz", "electro_intensity", "electro_waveform", "response_sought",
            "response_obtained", "moxibustion", "cupping", "gua_sha", "heat_lamp",
            "other_co_intervention", "herbal_formula", "advice",
        ]  # fmt: skip
        widgets = {
            "started_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "pain_before": PAIN_WIDGET,
            "pain_after": PAIN_WIDGET,
            "subjective": forms.Textarea(attrs={"rows": 2}),
            "objective": forms.Textarea(attrs={"rows": 2}),
            "assessment": forms.Textarea(attrs={"rows": 2}),
            "plan": forms.Textarea(attrs={"rows": 2}),
            "herbal_formula": forms.Textarea(attrs={"rows": 2}),
            "advice": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pain_before"].widget.attrs["autofocus"] = True
        self.fields["pain_before"].widget.attrs["max"] = 10
        self.fields["pain_after"].widget.attrs["max"] = 10

    SECTIONS = [
        ("tcm", "TCM assessment", ["tongue_body", "tongue_coating", "tongue_shape", "pulse",
                                   "pattern_diagnosis", "treatment_principle"]),
        ("soap", "SOAP notes", ["subjective", "objective", "assessment", "plan"]),
        ("stricta", "Needles and stimulation", [
            "needle_diameter_mm", "needle_length_mm", "needle_material", "depth_mm",
            "retention_minutes", "manual_technique", "electrical", "electro_waveform",
            "electro_frequency_hz", "electro_frequency_2_hz", "electro_intensity",
            "response_sought", "response_obtained"]),
        ("co", "Co-interventions and advice", ["moxibustion", "cupping", "gua_sha",
                                               "heat_lamp", "other_co_intervention",
                                               "herbal_formula", "advice"]),
    ]  # fmt: skip

    def sections(self, opened=()):
        """The folding sections: (key, title, bound fields, open), open if its key is in
        `opened` or one of its fields has an error."""
        return [
            (
                key, title, [self[name] for name in names],
                key in opened or any(self[n].errors for n in names),
            )
            for key, title, names in self.SECTIONS
        ]  # fmt: skip

    def changed_fields_against(self, stored):
        """The names of the fields whose cleaned values differ from the note `stored`."""
        return [
            name
            for name in self.Meta.fields
            if name in self.cleaned_data and self.cleaned_data[name] != getattr(stored, name)
        ]

    def clean_started_at(self):
        started = self.cleaned_data["started_at"]
        if started > timezone.now() + timedelta(hours=1):
            raise forms.ValidationError("A session cannot be logged in the future.")
        if started.year < EARLIEST_YEAR:
            raise forms.ValidationError(f"Enter a date from {EARLIEST_YEAR} on.")
        return started

    def clean(self):
        data = super().clean()
        if data.get("electrical") and data.get("electro_frequency_hz") is None:
            self.add_error(
                "electro_frequency_hz", "Electrical stimulation needs its frequency in Hz."
            )
        dense_disperse = data.get("electrical") and (
            data.get("electro_waveform") == TreatmentSession.Waveform.DENSE_DISPERSE
        )
        if data.get("electro_frequency_2_hz") is not None and not dense_disperse:
            self.add_error("electro_frequency_2_hz", SECOND_FREQUENCY_ONLY_DENSE_DISPERSE)
        return data


class PointRowForm(NoControlCharacters, forms.ModelForm):
    """One needled point; the point is typed as its code (legacy spellings welcome)."""

    point = forms.CharField(label="Point", max_length=20)

    class Meta:
        model = SessionPoint
        fields = POINT_ROW_FIELDS

    def __init__(self, *args, catalogue, **kwargs):
        super().__init__(*args, **kwargs)
        self.catalogue = catalogue
        if self.instance.pk:
            self.initial["point"] = self.instance.point.code
        self.fields["point"].widget.attrs.update(
            size=8, autocomplete="off", spellcheck="false", **{"class": "point-code"}
        )
        self.fields["depth_mm"].widget.attrs.update(min=0.5, max=100, step=0.5)

    def _get_validation_exclusions(self):
        # clean_point() took the point from the catalogue: the model need not look it up.
        return super()._get_validation_exclusions() | {"point"}

    @property
    def chosen_point(self):
        """The catalogue point this row names, for its label (None while unknown)."""
        value = self["point"].value()
        return resolve_code(value, self.catalogue) if value else None

    def clean_point(self):
        typed = self.cleaned_data["point"]
        point = resolve_code(typed, self.catalogue)
        if point is None:
            raise forms.ValidationError(f"Unknown point code “{typed}”.")
        return point

    def clean(self):
        data = super().clean()
        point, side = data.get("point"), data.get("side")
        if point and side and (error := side_error(point, side)):
            self.add_error("side", error)
        return data


class BasePointFormSet(BaseInlineFormSet):
    def __init__(self, *args, points=(), **kwargs):
        """`points`: catalogue points already loaded (the repeated note's), which the
        catalogue need not ask for again."""
        self.known_points = {point.code: point for point in points}
        super().__init__(*args, **kwargs)

    def get_queryset(self):
        # Kept, as Django keeps its own: the formset asks for it once a form and more.
        if not hasattr(self, "_points"):
            self._points = super().get_queryset().select_related("point")
        return self._points

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "catalogue": self.catalogue}

    @property
    def catalogue(self):
        """The points named in this formset, by code, fetched in one query."""
        if not hasattr(self, "_catalogue"):
            typed = [row.get("point") for row in self.initial_extra or []]
            if self.is_bound:
                typed += [
                    value
                    for key, value in self.data.items()
                    if key.startswith(f"{self.prefix}-") and key.endswith("-point")
                ]
            codes = {code for text in typed for code in typed_codes(text)}
            if self.instance.pk:
                codes |= set(self.instance.points.values_list("point__code", flat=True))
            codes.discard("")
            known = {code: self.known_points[code] for code in codes & self.known_points.keys()}
            missing = codes - known.keys()
            found = AcupuncturePoint.objects.filter(code__in=missing) if missing else []
            self._catalogue = known | {p.code: p for p in found}
        return self._catalogue

    def validate_unique(self):
        # Replaced by the check in clean(), which names the point and marks its side.
        pass

    def live_forms(self):
        """Rows that name a point and are not being removed, changed or not."""
        return [
            form
            for form in self.forms
            if not self._should_delete_form(form) and form.cleaned_data.get("point")
        ]

    def clean(self):
        super().clean()
        seen = {}
        if self.instance.pk:
            # Saved rows the form does not carry (a stale page, two tabs) stay as they are,
            # so a new row must not repeat them either.
            carried = [form.instance.pk for form in self.initial_forms]
            kept = self.instance.points.exclude(pk__in=carried)
            for code, side in kept.values_list("point__code", "side"):
                seen.setdefault(code, []).append(side)
        for form in self.live_forms():
            point, side = form.cleaned_data["point"], form.cleaned_data.get("side")
            if not side:
                continue
            for other_side in seen.get(point.code, []):
                if other_side == side or "B" in (side, other_side):
                    form.add_error("side", f"{point.code} is already in this session on that side.")
            seen.setdefault(point.code, []).append(side)

    def chosen_points(self):
        return [form.cleaned_data["point"] for form in self.live_forms()]

    def chosen_point_sides(self):
        return [
            (form.cleaned_data["point"], form.cleaned_data.get("side"))
            for form in self.live_forms()
        ]


def point_formset_class(extra):
    return inlineformset_factory(
        TreatmentSession,
        SessionPoint,
        form=PointRowForm,
        formset=BasePointFormSet,
        fields=POINT_ROW_FIELDS,
        extra=extra,
        can_delete=True,
        max_num=200,
        absolute_max=200,
        validate_max=True,
    )


class AdverseEventForm(NoControlCharacters, forms.ModelForm):
    class Meta:
        model = AdverseEvent
        fields = ["category", "severity", "description", "action_taken"]


AdverseEventFormSet = inlineformset_factory(
    TreatmentSession,
    AdverseEvent,
    form=AdverseEventForm,
    fields=["category", "severity", "description", "action_taken"],
    widgets={
        "description": forms.Textarea(attrs={"rows": 2}),
        "action_taken": forms.Textarea(attrs={"rows": 2}),
    },
    extra=1,
    can_delete=True,
)


class SignForm(NoControlCharacters, forms.Form):
    """The sign review's ticks: the cautions acknowledged now (keys), and one box to sign
    past what the note lacks, as the review listed it. The note decides what they must
    cover (SessionRules.signing_problems)."""

    version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    acknowledge = CautionKeysField(label="Cautions acknowledged")
    sign_past_missing = forms.BooleanField(required=False)

    def signed_with(self, session):
        """The missing details signed past: all the note lacks, if the box was ticked."""
        if not self.cleaned_data["sign_past_missing"]:
            return []
        return [key for key, _ in session.missing_details()]


class AmendmentForm(NoControlCharacters, forms.ModelForm):
    class Meta:
        model = Amendment
        fields = ["text"]
        labels = {"text": "Amendment"}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"text": {"required": "Write what the amendment corrects or adds."}}


class ExportForm(NoControlCharacters, forms.Form):
    what = forms.ChoiceField(
        label="Data",
        choices=[
            ("readings", "Outcome readings"),
            ("sessions", "Treatment sessions"),
            ("points", "Needled points (a row per point of each session)"),
        ],
    )
    deidentified = forms.BooleanField(
        label="De-identified for research (no names, contacts or birth dates; dates shifted)",
        required=False,
        initial=True,
    )
