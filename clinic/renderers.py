"""The project's form renderer (settings.FORM_RENDERER).

`{{ form.field.as_field_group }}` draws a field with templates/django/forms/field.html in
crispy-bootstrap5's markup, so that a page drawn field by field looks like one drawn with
`{{ form|crispy }}`. `BoundField.get_context` works out once what the template shows: the
kind of field, its label, errors and help text, and the widget with crispy's classes.

Plain widgets (inputs, hidden inputs, selects, textareas with Django's own templates) are
written here from the context Django gives their template, in a field group and on their
own (`{{ form.field }}`): Django's widget templates include one
another (a select two templates an option), which made the log-session page 40 % slower
(docs/performance.md). Any other widget is drawn by its template.
"""

from crispy_forms.templatetags.crispy_forms_filters import optgroups
from django import forms
from django.conf import settings
from django.forms.renderers import TemplatesSetting
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, mark_safe

# Widgets written here from their context, as their Django template would draw them.
INPUTS = (
    forms.TextInput,
    forms.NumberInput,
    forms.EmailInput,
    forms.URLInput,
    forms.PasswordInput,
    forms.DateInput,
    forms.DateTimeInput,
    forms.TimeInput,
    forms.CheckboxInput,
    forms.HiddenInput,
)
SELECTS = (forms.Select, forms.NullBooleanSelect, forms.SelectMultiple)
WRITTEN = {*INPUTS, *SELECTS, forms.Textarea}


class BoundField(forms.BoundField):
    def as_widget(self, widget=None, attrs=None, only_initial=False):
        """Django's, with the field's own plain widget written here (`{{ form.field }}`,
        a formset row's hidden id): ten point rows drew 20 hidden inputs through three
        templates each, 5 ms of the log-session page."""
        if widget is None and not only_initial and self.writable():
            return self.write_widget(attrs or {})
        return super().as_widget(widget, attrs, only_initial)

    def get_context(self):
        widget = self.field.widget
        errors = self.errors
        context = {
            "field": self,
            "kind": self.kind(),
            "errors": errors,
            "required": self.field.required,
            "label": self.label,
            "help_text": self.help_text,
            "auto_id": self.auto_id,
            "css_classes": self.css_classes(),
        }
        if context["kind"] == "choices":
            context["optgroups"] = optgroups(self)
            context["html_name"] = self.html_name
        elif context["kind"] in ("checkbox", "widget"):
            context["widget"] = self.widget_with_classes()
        if context["kind"] in ("choices", "widget"):
            context["use_fieldset"] = fieldset = bool(self.label and widget.use_fieldset)
            context["describedby"] = fieldset and self.aria_describedby
        context["id_for_label"] = self.id_for_label
        return context

    def kind(self):
        """How the template draws the field; "crispy" for what it does not draw: a form with
        a crispy helper (its layout settings), file inputs, multi-widgets and wrapped
        widgets (the admin's)."""
        widget = self.field.widget
        if (
            getattr(self.form, "helper", None) is not None
            or isinstance(widget, forms.FileInput | forms.MultiWidget)
            or hasattr(widget, "widget")
        ):
            return "crispy"
        if widget.is_hidden:
            return "hidden"
        if isinstance(widget, forms.CheckboxInput):
            return "checkbox"
        if isinstance(widget, forms.RadioSelect) and not getattr(widget, "draws_itself", False):
            return "choices"  # CheckboxSelectMultiple is a RadioSelect too
        return "widget"

    def widget_with_classes(self):
        """The widget with the classes crispy gives it (crispy_forms_field.CrispyFieldNode):
        its own, its class name, Bootstrap's for its kind and `is-invalid` on an error."""
        widget = self.field.widget
        if getattr(widget, "input_class", None):  # a widget that names its inputs' class
            bootstrap = widget.input_class
        elif isinstance(widget, forms.CheckboxInput):
            bootstrap = "form-check-input"
        elif isinstance(widget, forms.Select):
            bootstrap = "form-select"
        else:
            bootstrap = "form-control"
        if self.errors:
            bootstrap += " is-invalid"
        name = type(widget).__name__.lower()
        name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(name, name)
        classes = widget.attrs.get("class", "")
        if not classes:
            classes = name
        elif name not in classes:
            classes += f" {name}"
        for extra in bootstrap.split():
            if extra not in classes.split():
                classes += f" {extra}"
        attrs = {"class": classes}
        html = self.write_widget(attrs) if self.writable() else self.as_widget(attrs=attrs)
        if self.field.show_hidden_initial:
            html += self.as_hidden(only_initial=True)
        return html

    def writable(self):
        """A plain Django widget with its own template, which this renderer finds."""
        widget = self.field.widget
        kind = type(widget)
        return (
            kind in WRITTEN
            and widget.template_name == kind.template_name
            and getattr(widget, "option_template_name", None)
            == getattr(kind, "option_template_name", None)
            and isinstance(self.form.renderer, FormRenderer)
        )

    def write_widget(self, attrs):
        """`as_widget()` without the template: the context is Django's own."""
        widget = self.field.widget
        if self.field.localize:
            widget.is_localized = True
        attrs = self.build_widget_attrs(attrs, widget)
        if self.auto_id and "id" not in widget.attrs:
            attrs.setdefault("id", self.auto_id)
        context = widget.get_context(self.html_name, self.value(), attrs)["widget"]
        name = show(context["name"])
        if isinstance(widget, forms.Textarea):
            value = show(context["value"]) if context["value"] else ""
            return mark_safe(
                f'<textarea name="{name}"{flat_attrs(context["attrs"])}>\n{value}</textarea>'
            )
        if isinstance(widget, forms.Select):
            return mark_safe(
                f'<select name="{name}"{flat_attrs(context["attrs"])}>{options(context)}\n</select>'
            )
        value = context["value"]
        value = "" if value is None else f' value="{attr_text(value)}"'
        kind = show(context["type"])
        return mark_safe(
            f'<input type="{kind}" name="{name}"{value}{flat_attrs(context["attrs"])}>'
        )


def options(context):
    """As django/forms/widgets/select.html and select_option.html."""
    parts = []
    for group, choices, _index in context["optgroups"]:
        if group:
            parts.append(f'\n  <optgroup label="{show(group)}">')
        for option in choices:
            parts.append(
                f'\n  <option value="{attr_text(option["value"])}"{flat_attrs(option["attrs"])}>'
                f"{show(option['label'])}</option>\n"
            )
        if group:
            parts.append("\n  </optgroup>")
    return "".join(parts)


def flat_attrs(attrs):
    """As django/forms/widgets/attrs.html: True is a bare name, False is left out."""
    return "".join(
        f" {show(name)}" if value is True else f' {show(name)}="{attr_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def show(value):
    """A value as `{{ value }}` prints it: localized, escaped unless already safe."""
    return conditional_escape(localize(value))


def attr_text(value):
    """A value as `{{ value|stringformat:'s' }}` prints it."""
    text = str(value)
    return text if isinstance(value, SafeData) else escape(text)


class FormRenderer(TemplatesSetting):
    """Templates from settings.TEMPLATES, so that the project's field template is found."""

    bound_field_class = BoundField
