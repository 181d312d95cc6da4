"""`{{ form.field|bs_field }}`: a form field as crispy-bootstrap5 draws it, built in Python.

crispy's `|as_crispy_field` renders up to six nested templates for each field (0.3-1 ms);
the log-session form has 36 fields. This filter writes the same markup directly: the wrapper
(bootstrap5/field.html), the label or legend, the widget with crispy's classes, the error
block and the help text. tests/test_field_rendering.py holds it equal to crispy's output for
every form the templates draw with it. Anything it does not reproduce (a form helper,
file inputs, multi-widgets, widget wrappers, another template pack) goes to crispy itself.
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, optgroups
from crispy_forms.utils import TEMPLATE_PACK
from django import forms, template
from django.conf import settings
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.templatetags.l10n import unlocalize
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, mark_safe

register = template.Library()

# Widgets drawn here from their context, as their Django template would; other widgets are
# rendered by Django (`BoundField.as_widget`) inside this filter's markup.
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
)
SELECTS = (forms.Select, forms.NullBooleanSelect, forms.SelectMultiple)
DRAWN = {*INPUTS, *SELECTS, forms.Textarea}


@register.filter
def bs_field(field):
    if not reproducible(field):
        return as_crispy_field(field)
    widget = field.field.widget
    if widget.is_hidden:
        return str(field)
    if isinstance(widget, forms.CheckboxInput):
        return checkbox(field)
    choices = isinstance(widget, forms.RadioSelect)  # CheckboxSelectMultiple is one too
    label = label_tag(field) if field.label else ""
    fieldset = label and widget.use_fieldset
    if choices:
        body = choice_inputs(field) + help_text(field)
    else:
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        body = widget_html(field, css) + error_block(field) + help_text(field)
    if fieldset:
        describedby = field.aria_describedby
        describedby = f' aria-describedby="{escape(describedby)}"' if describedby else ""
        label, body = f"<fieldset{describedby}>{label}", f"{body}</fieldset>"
    wrapper = f'<div id="div_{escape(field.auto_id)}" class="mb-3{extra_classes(field)}">'
    return mark_safe(f"{wrapper}{label}{body}</div>")


def reproducible(field):
    """Whether this module draws the field exactly as crispy would; if not, crispy does."""
    if not isinstance(field, BoundField) or TEMPLATE_PACK != "bootstrap5":
        return False
    widget = field.field.widget
    return not (
        getattr(field.form, "helper", None) is not None
        or isinstance(widget, forms.FileInput | forms.MultiWidget)
        or hasattr(widget, "widget")  # a wrapper, such as the admin's related-field one
        or (isinstance(widget, forms.CheckboxInput) and widget.use_fieldset)
    )


def checkbox(field):
    required = field.field.required
    label = show(field.label) + ('<span class="asteriskField">*</span>' if required else " ")
    return mark_safe(
        f'<div class="mb-3"><div id="div_{escape(field.auto_id)}" class="form-check'
        f'{extra_classes(field)}">{widget_html(field, "form-check-input")}'
        f'<label for="{escape(field.id_for_label)}" class="form-check-label'
        f'{" requiredField" if required else ""}"> {label}</label>'
        f"{error_block(field)}{help_text(field)}</div></div>"
    )


def label_tag(field):
    required = field.field.required
    tag = "legend" if field.use_fieldset else "label"
    target = field.id_for_label
    target = f' for="{escape(target)}"' if target else ""
    classes = "form-label" + (" requiredField" if required else "")
    classes += " fs-6" if field.use_fieldset else ""
    text = show(field.label) + ('<span class="asteriskField">*</span>' if required else " ")
    return f'<{tag}{target} class="{classes}"> {text}</{tag}>'


def extra_classes(field):
    classes = field.css_classes()
    return f" {escape(classes)}" if classes else ""


def error_block(field):
    errors = field.errors
    if not errors:
        return ""
    paragraphs = "".join(
        f'<p id="error_{number}_{escape(field.auto_id)}"><strong>{show(error)}</strong></p>'
        for number, error in enumerate(errors, start=1)
    )
    return f'<div id="{show(errors.field_id)}_error" class="invalid-feedback">{paragraphs}</div>'


def help_text(field):
    if not field.help_text:
        return ""
    target = f'id="{escape(field.auto_id)}_helptext" ' if field.auto_id else ""
    # Not escaped: help text may hold markup, as with Django's and crispy's `|safe`.
    return f'<div {target}class="form-text">{field.help_text}</div>'


def choice_inputs(field):
    """Radio buttons or checkboxes, as bootstrap5/layout/radio_checkbox_select.html."""
    invalid = " is-invalid" if field.errors else ""
    groups = optgroups(field)
    parts = ["<div >"]
    for group_number, (group, options, _index) in enumerate(groups, start=1):
        if group:
            parts.append(f"<strong>{show(group)}</strong>")
        for number, option in enumerate(options, start=1):
            attrs = flat_attrs(option["attrs"]).lstrip()
            parts.append(
                f'<div class="form-check"><input type="{show(option["type"])}" '
                f'class="form-check-input{invalid}" name="{show(field.html_name)}" '
                f'value="{show(unlocalize(option["value"]))}" {attrs}>'
                f'<label for="{show(option["attrs"].get("id", ""))}" class="form-check-label">'
                f" {show(unlocalize(option['label']))} </label>"
            )
            if invalid and number == len(options) and group_number == len(groups):
                parts.append(error_block(field))
            parts.append("</div>")
    parts.append("</div>")
    return "".join(parts)


def widget_html(field, css):
    """The widget with crispy's classes (crispy_forms_field.CrispyFieldNode), as Django's
    widget template draws it."""
    widget = field.field.widget
    name = widget.__class__.__name__.lower()
    name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(name, name)
    classes = widget.attrs.get("class", "")
    if not classes:
        classes = name
    elif classes.find(name) == -1:
        classes += f" {name}"
    for extra in (css + (" is-invalid" if field.errors else "")).split():
        if extra not in classes.split():
            classes += f" {extra}"
    attrs = {"class": classes}
    html = draw_widget(field, attrs) if drawable(field) else field.as_widget(attrs=attrs)
    if field.field.show_hidden_initial:
        html += field.as_hidden(only_initial=True)
    return html


def drawable(field):
    """A plain Django widget with its own template, which Django's default renderer draws."""
    widget = field.field.widget
    kind = type(widget)
    return (
        kind in DRAWN
        and widget.template_name == kind.template_name
        and getattr(widget, "option_template_name", None)
        == getattr(kind, "option_template_name", None)
        and isinstance(field.form.renderer, DjangoTemplates)
    )


def draw_widget(field, attrs):
    """`BoundField.as_widget()` without the template: the context is Django's own."""
    widget = field.field.widget
    if field.field.localize:
        widget.is_localized = True
    attrs = field.build_widget_attrs(attrs, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    name = show(context["name"])
    if isinstance(widget, forms.Textarea):
        value = show(context["value"]) if context["value"] else ""
        return f'<textarea name="{name}"{flat_attrs(context["attrs"])}>\n{value}</textarea>'
    if isinstance(widget, forms.Select):
        return f'<select name="{name}"{flat_attrs(context["attrs"])}>{options(context)}\n</select>'
    value = context["value"]
    value = "" if value is None else f' value="{attr_text(value)}"'
    return (
        f'<input type="{show(context["type"])}" name="{name}"{value}{flat_attrs(context["attrs"])}>'
    )


def options(context):
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
