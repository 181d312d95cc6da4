"""Choices the patient taps on a phone: radio inputs (or checkboxes) drawn as buttons of at
least 44 px (static/patients/public.css). They stay inputs sharing one name, so the browser
gives them their native behaviour: one Tab stop for a radio group, the arrow keys move the
choice, a screen reader says "4, radio button, 5 of 11, checked"; the field template draws
them in a fieldset whose legend is the question (clinic/renderers.py)."""

from django import forms

SCALE = [(n, str(n)) for n in range(11)]


class Buttons:
    """Draws its options as buttons: `layout` is "row" (a few equal buttons: Yes, No, Not
    sure), "inline" (two, beside the question) or "chips" (longer labels, wrapped)."""

    template_name = "django/forms/widgets/choice_buttons.html"
    draws_itself = True  # the field template draws the widget, not its options
    input_class = "btn-check"  # Bootstrap's input-as-button, instead of form-check-input

    def __init__(self, attrs=None, choices=(), layout="row"):
        super().__init__(attrs, choices)
        self.layout = layout

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["layout"] = self.layout
        return context


class ChoiceButtons(Buttons, forms.RadioSelect):
    """One choice of a few, as buttons."""


class ChoiceChips(Buttons, forms.CheckboxSelectMultiple):
    """Any number of choices, as buttons that stay pressed."""

    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs, choices, layout="chips")


class ScaleButtons(ChoiceButtons):
    """A 0-10 score as eleven buttons, with the words that anchor 0 and 10 under them."""

    template_name = "django/forms/widgets/scale_buttons.html"

    def __init__(self, low, high, attrs=None):
        super().__init__(attrs, choices=SCALE, layout="scale")
        self.low = low
        self.high = high

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["low"] = self.low
        context["widget"]["high"] = self.high
        return context
