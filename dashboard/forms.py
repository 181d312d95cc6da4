from django import forms


class PeriodFilter(forms.Form):
    """The dashboard's period, from its URL so that a view can be bookmarked: patients
    whose course started in the last 3, 6 or 12 months (?months=3), or all (no months)."""

    PERIODS = [("", "All time"), ("3", "Last 3 months"), ("6", "Last 6 months")]
    PERIODS += [("12", "Last 12 months")]

    months = forms.TypedChoiceField(choices=PERIODS, coerce=int, empty_value=None, required=False)
