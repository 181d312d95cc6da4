from django import forms

from patients import bodymap


class PeriodFilter(forms.Form):
    """The dashboard's period and body region, from its URL so that a view can be
    bookmarked: patients whose course started in the last 3, 6 or 12 months (?months=3), or
    all (no months); those whose intake's pain map marks an area in one part of the body
    (?region=lower_back), or all (no region)."""

    PERIODS = [("", "All time"), ("3", "Last 3 months"), ("6", "Last 6 months")]
    PERIODS += [("12", "Last 12 months")]
    REGIONS = [("", "Every body region")] + [(key, label) for key, label, _ in bodymap.PARTS]

    months = forms.TypedChoiceField(choices=PERIODS, coerce=int, empty_value=None, required=False)
    region = forms.ChoiceField(label="Body region", choices=REGIONS, required=False)


class PhaseWeekFilter(forms.Form):
    """The phase flow's drill-down, from its URL: a phase (1-3) and a week, given by its
    Monday (?phase=2&week=2026-11-02), as the chart's weeks are."""

    phase = forms.TypedChoiceField(choices=[(str(n), str(n)) for n in (1, 2, 3)], coerce=int)
    week = forms.DateField(input_formats=["%Y-%m-%d"])

    def clean_week(self):
        week = self.cleaned_data["week"]
        if week.weekday() != 0:
            raise forms.ValidationError("A week is given by its Monday.")
        return week
