"""Two people (or two tabs) editing one record: the second save must not silently win.

`StaleEditGuard` is a ModelForm mixin. The page carries, in a hidden `version` field, a
fingerprint of the stored values of the form's own fields as they were when the page was
opened. A save whose fingerprint no longer matches the stored record (someone saved
those fields meanwhile) is stale: the form refuses it, keeps what was typed, says under
each field what was saved meanwhile, and takes the new fingerprint, so that saving again
keeps the person's version on purpose. A change to other fields of the record (another
page's) is no conflict. Validate the form inside the record's row lock, so that nothing
is saved between the check and the save.
"""

import hashlib

from django import forms
from django.utils import timezone

STALE_MESSAGE = (
    "Someone else saved this record after you opened this page. Your version is below and "
    "has not been saved; under each field that differs is what was saved. Save again to "
    "keep yours."
)


def shown(record, name):
    """A stored field's value as a person reads it."""
    field = record._meta.get_field(name)
    value = getattr(record, name)
    if isinstance(value, bool):
        return "ticked" if value else "not ticked"
    if value in (None, ""):
        return "(empty)"
    if field.choices:
        return str(getattr(record, f"get_{name}_display")())
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        return timezone.localtime(value).strftime("%-d %b %Y %H:%M")
    if hasattr(value, "isoformat"):
        return value.strftime("%-d %b %Y")
    text = str(value)
    return f"“{text[:300]}…”" if len(text) > 300 else f"“{text}”"


class StaleEditGuard:
    """A ModelForm mixin (before forms.ModelForm): see the module's docstring."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.CharField(widget=forms.HiddenInput, required=False)
        if self.instance.pk is not None:
            self.initial["version"] = self.fingerprint(self.instance)
        self.stale = False

    def guarded_fields(self):
        return [name for name in self._meta.fields if name in self.fields]

    def fingerprint(self, record):
        values = [str(getattr(record, self._meta.model._meta.get_field(n).attname))
                  for n in self.guarded_fields()]  # fmt: skip
        return hashlib.sha256("\x1f".join(values).encode()).hexdigest()[:32]

    def clean(self):
        data = super().clean()
        posted = data.get("version")
        if self.instance.pk is None or not posted:
            return data
        stored = type(self.instance)._default_manager.get(pk=self.instance.pk)
        current = self.fingerprint(stored)
        if posted != current:
            self.stale = True
            for name in self.guarded_fields():
                if name in data and getattr(stored, name) != data[name]:
                    self.add_error(name, f"Saved meanwhile as: {shown(stored, name)}")
            self.add_error(None, STALE_MESSAGE)
            self.data = self.data.copy()
            self.data[self.add_prefix("version")] = current  # saving again keeps theirs
        return data
