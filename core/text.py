"""Text that people type: no control characters.

A NUL byte or another control character (U+0000-U+001F and U+007F, except tab, line feed
and carriage return) has no place in a name, an answer or a note. PostgreSQL refuses a
NUL in text and in JSON (a 500 if it gets that far); the others are invisible on screen,
break the CSV exports and the printed report, and are a favourite of hostile input.

`NoControlCharacters` is a form mixin: every text field of the form (CharField and its
subclasses: EmailField, the CharField a model's TextField gets, ...) refuses them, with
`MESSAGE` next to the field, including fields the form adds in its own `__init__`.
`refuse_control_characters` is the validator, for a single field; `without_control_characters`
cuts them out of a value kept as typed (the intake's drafts).
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MESSAGE = (
    "This text contains an invisible control character (often from copying and pasting); "
    "please retype it without it."
)


def refuse_control_characters(value):
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        raise ValidationError(MESSAGE, code="control_characters")


def without_control_characters(value):
    return CONTROL_CHARACTERS.sub("", value)


def refuse_in(field):
    """Make one form field refuse control characters (in place; once)."""
    if not isinstance(field, forms.CharField) or refuse_control_characters in field.validators:
        return
    # Django's own NUL check says less; this one covers it.
    field.validators = [
        validator
        for validator in field.validators
        if not isinstance(validator, ProhibitNullCharactersValidator)
    ] + [refuse_control_characters]


class NoControlCharacters:
    """A form mixin (before forms.Form or forms.ModelForm): its text fields refuse control
    characters."""

    def full_clean(self):
        for field in self.fields.values():
            refuse_in(field)
        super().full_clean()
