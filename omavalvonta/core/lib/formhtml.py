"""A form field's component markup written in Python.

`components/field.html`, `radios.html` and `check.html` cost a template render
each, with some twenty variable lookups: a report's handling panel renders
about twenty fields. `field_html` writes the same markup for a field without
errors (a field with errors goes to the templates, which show them), using
the bound field's own widget markup, ids, label and help text, so that what
a field carries does not change. Tests compare it with the templates."""

from __future__ import annotations

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

CHECK = "components/check.html"
CHOICES = "components/radios.html"
FIELD = "components/field.html"


def component(bound_field) -> str:
    """The component template that renders this bound field."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return CHECK
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return CHOICES
    return FIELD


def _required_mark() -> str:
    return (
        ' <span class="required-mark" aria-hidden="true">*</span>'
        # Not escaped, as {% translate %} does not escape a translation.
        f'<span class="visually-hidden">{gettext("(required)")}</span>'
    )


def _help(bound, auto_id: str) -> str:
    help_text = bound.help_text
    return f'<span class="help" id="{auto_id}_helptext">{conditional_escape(help_text)}</span>' if help_text else ""


def _field(bound) -> str:
    auto_id = conditional_escape(bound.auto_id)
    required = _required_mark() if bound.field.required else ""
    return (
        f'\n<div class="field" id="{auto_id}_field">\n'
        f'  <label for="{conditional_escape(bound.id_for_label)}">{conditional_escape(bound.label)}{required}</label>\n'
        f"  {bound.as_widget()}\n"
        f"  {_help(bound, auto_id)}\n"
        "  \n</div>\n"
    )


def _check(bound) -> str:
    auto_id = conditional_escape(bound.auto_id)
    return (
        f'\n<div class="field" id="{auto_id}_field">\n'
        '  <ul class="choice-list">\n'
        f'    <li><label for="{conditional_escape(bound.id_for_label)}">{bound.as_widget()}\n'
        f"      <span>{conditional_escape(bound.label)}{_help(bound, auto_id)}</span>\n"
        "    </label></li>\n"
        "  </ul>\n"
        "  \n</div>\n"
    )


def _choices(bound, *, cols=False, required=False) -> str:
    auto_id = conditional_escape(bound.auto_id)
    described = f' aria-describedby="{auto_id}_helptext"' if bound.help_text else ""
    mark = _required_mark() if bound.field.required or required else ""
    buttons = "".join(
        f'<li><label for="{conditional_escape(radio.id_for_label)}">{radio.tag()} '
        f"<span>{conditional_escape(radio.choice_label)}</span></label></li>"
        for radio in bound
    )
    return (
        f'\n<fieldset class="field" id="{auto_id}_field"{described}>\n'
        f"  <legend>{conditional_escape(bound.label)}{mark}</legend>\n"
        f"  {_help(bound, auto_id)}\n"
        f'  <ul class="choice-list{" choice-list--cols" if cols else ""}">\n'
        f"    {buttons}\n"
        "  </ul>\n"
        "  \n</fieldset>\n"
    )


def field_html(bound, *, cols=False, required=False) -> SafeString | None:
    """The markup `component(bound)` renders for `bound` (`cols`, `required`:
    the radio list's options), or None when the field has errors."""
    if bound.errors:
        return None
    which = component(bound)
    if which == CHECK:
        html = _check(bound)
    elif which == CHOICES:
        html = _choices(bound, cols=cols, required=required)
    else:
        html = _field(bound)
    return mark_safe(html)  # noqa: S308 -- every value escaped above or rendered by its widget
