"""A form field's component markup written in Python.

`components/field.html`, `radios.html` and `check.html` cost a template render
each, with some twenty variable lookups: a report's handling panel renders
about twenty fields. `field_html` writes the same markup for a field without
errors (a field with errors goes to the templates, which show them), using
the bound field's own ids, label and help text and its widget's Django context
(the widgets the project's renderer writes in Python are written here, with
one escape a value; any other widget renders itself), so that what a field
carries does not change. Tests compare it with the templates."""

from __future__ import annotations

from functools import cache

from django import forms
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_lazy

from omavalvonta.core.widgets import QuickFormRenderer, QuickRadioSelect, QuickSelect

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


# html.escape's (and so Django's escape's) replacements, in one pass.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def escape(value) -> str:
    """`conditional_escape(value)`, without its lazy detour: a lazy translation
    (a label, a help text) is translated once, not escaped lazily and then
    translated (Django's escape keeps a lazy string lazy)."""
    if type(value) is str:
        return value.translate(_ESCAPES)
    if type(value) is _LAZY_GETTEXT:
        return translated(value).translate(_ESCAPES)
    if hasattr(value, "__html__"):
        return value.__html__()
    return str(value).translate(_ESCAPES)


# The class of gettext_lazy's strings: their text depends on the language alone.
_LAZY_GETTEXT = type(gettext_lazy("-"))
_LAZY_KEPT = 4096
_lazy_texts: dict = {}


def translated(value) -> str:
    """`str(value)` of a gettext_lazy string, kept per language: a form's labels,
    help texts and choices are the same lazy strings on every request (a field
    copies its label, not deep). The string itself is kept with its texts, so
    that its id is not another's while kept."""
    language = get_language()
    kept = _lazy_texts.get(id(value))
    if kept is None or kept[0] is not value:
        if len(_lazy_texts) >= _LAZY_KEPT:
            _lazy_texts.clear()
        kept = _lazy_texts[id(value)] = (value, {})
    text = kept[1].get(language)
    if text is None:
        text = kept[1][language] = str(value)
    return text


# --- The widgets ----------------------------------------------------------------------
# The widgets core.widgets writes in Python (through the project's form renderer)
# are written here with the escape above: on a report's handling panel Django's
# escape of every attribute and option was a quarter of the fields' cost. What
# each carries (value, attributes, options chosen) still comes from Django's
# context. Any other widget, or one given its own template or markup, renders as before.
_DJANGO = "django/forms/widgets/"
_WRITTEN = (
    forms.TextInput,
    forms.NumberInput,
    forms.EmailInput,
    forms.DateInput,
    forms.CheckboxInput,
    forms.Textarea,
    forms.HiddenInput,
)
_OPTIONS = frozenset((f"{_DJANGO}radio_option.html", f"{_DJANGO}checkbox_option.html"))
_CHOICE_WIDGETS = {forms.RadioSelect, QuickRadioSelect, forms.CheckboxSelectMultiple}


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    """django/forms/widgets/input.html of a widget's (or a radio button's) context."""
    value = "" if widget["value"] is None else f' value="{escape(str(widget["value"]))}"'
    return f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _select(select, widget: dict) -> str | None:
    """QuickSelect's markup of a select without groups (None: it has groups)."""
    values, chosen, options = widget["value"], False, []
    for value, label in select.choices:
        if isinstance(label, list | tuple):
            return None
        value = "" if value is None else str(value)
        selected = not chosen and value in values
        chosen |= selected
        options.append(f'\n  <option value="{escape(value)}"{" selected" if selected else ""}>{escape(label)}</option>\n')
    return f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>{"".join(options)}\n</select>'


def _quick(bound) -> bool:
    """Is the field's widget rendered by the project's renderer, not localised?"""
    return isinstance(bound.form.renderer, QuickFormRenderer) and not (bound.field.localize or bound.field.widget.is_localized)


@cache
def _written_as(kind: type) -> type | None:
    """The widget of _WRITTEN (or QuickSelect) that `kind` is, without markup
    of its own (a subclass changing only its input type, say); None: another."""
    base = next((b for b in kind.__mro__ if b in _WRITTEN or b is QuickSelect), None)
    methods = ("render", "_render", "get_context", "format_value")
    return base if base and all(getattr(kind, m) is getattr(base, m) for m in methods) else None


def _widget(bound) -> str:
    """`bound.as_widget()` (a field without errors)."""
    widget = bound.field.widget
    kind = _written_as(type(widget))
    if kind is None or widget.template_name != kind.template_name or not _quick(bound):
        return bound.as_widget()
    attrs = bound.build_widget_attrs({}, widget)
    if bound.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound.auto_id)
    if kind is QuickSelect:
        if widget.allow_multiple_selected:
            return bound.as_widget()
        context = forms.Widget.get_context(widget, bound.html_name, bound.value(), attrs)["widget"]
        return (widget._plain_options() and _select(widget, context)) or bound.as_widget()
    context = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
    if kind is forms.Textarea:
        value = escape(context["value"]) if context["value"] else ""
        return f'<textarea name="{escape(context["name"])}"{_attrs(context["attrs"])}>\n{value}</textarea>'
    return _input(context)


def _button(radio, quick: bool) -> str:
    """`radio.tag()`: a radio button or a checkbox of a list, without its label
    (`quick`: the list is one of _CHOICE_WIDGETS, rendered by the project's renderer)."""
    return _input(radio.data) if quick and radio.data["template_name"] in _OPTIONS else radio.tag()


def _required_mark() -> str:
    return (
        ' <span class="required-mark" aria-hidden="true">*</span>'
        # Not escaped, as {% translate %} does not escape a translation.
        f'<span class="visually-hidden">{gettext("(required)")}</span>'
    )


def _help(bound, auto_id: str) -> str:
    help_text = bound.help_text
    return f'<span class="help" id="{auto_id}_helptext">{escape(help_text)}</span>' if help_text else ""


def _field(bound) -> str:
    auto_id = escape(bound.auto_id)
    required = _required_mark() if bound.field.required else ""
    return (
        f'\n<div class="field" id="{auto_id}_field">\n'
        f'  <label for="{escape(bound.id_for_label)}">{escape(bound.label)}{required}</label>\n'
        f"  {_widget(bound)}\n"
        f"  {_help(bound, auto_id)}\n"
        "  \n</div>\n"
    )


def _check(bound) -> str:
    auto_id = escape(bound.auto_id)
    return (
        f'\n<div class="field" id="{auto_id}_field">\n'
        '  <ul class="choice-list">\n'
        f'    <li><label for="{escape(bound.id_for_label)}">{_widget(bound)}\n'
        f"      <span>{escape(bound.label)}{_help(bound, auto_id)}</span>\n"
        "    </label></li>\n"
        "  </ul>\n"
        "  \n</div>\n"
    )


def _choices(bound, *, cols=False, required=False) -> str:
    auto_id = escape(bound.auto_id)
    described = f' aria-describedby="{auto_id}_helptext"' if bound.help_text else ""
    mark = _required_mark() if bound.field.required or required else ""
    quick = type(bound.field.widget) in _CHOICE_WIDGETS and _quick(bound)
    buttons = "".join(
        f'<li><label for="{escape(radio.id_for_label)}">{_button(radio, quick)} '
        f"<span>{escape(radio.choice_label)}</span></label></li>"
        for radio in bound
    )
    return (
        f'\n<fieldset class="field" id="{auto_id}_field"{described}>\n'
        f"  <legend>{escape(bound.label)}{mark}</legend>\n"
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


# --- A record page's step forms ----------------------------------------------------------
# components/step_form.html and the error summary around a form's fields, written
# for a page whose forms are written in Python (the report's handling panel). A
# form with errors, or with an edit conflict to show, still renders
# components/error_summary.html; a field with errors its component.

# components/error_summary.html of a form without errors or a conflict.
NO_ERRORS = "\n\n\n\n\n"


def csrf_input(token) -> str:
    """`{% csrf_token %}` with the request's token."""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">'


def error_summary_html(form) -> str:
    """`{% include "components/error_summary.html" %}` of `form`."""
    if not form.errors and not getattr(form, "edit_conflict", None):
        return NO_ERRORS
    from django.template.loader import render_to_string

    return render_to_string("components/error_summary.html", {"form": form})


def fields_html(form, names: str = "", *, cols=None, required=None) -> str:
    """`{% fields form "names" %}` (core.templatetags.formfields) outside a template."""
    rendered = []
    for bound in [form[name] for name in names.split()] or form.visible_fields():
        html = field_html(bound, cols=cols, required=required)
        if html is None:
            from django.template.loader import render_to_string

            html = render_to_string(component(bound), {"field": bound, "cols": cols, "required": required})
        rendered.append(html)
    return "".join(rendered)


def hidden_html(form) -> str:
    """`{% for hidden in form.hidden_fields %}{{ hidden }}{% endfor %}`."""
    return "".join(hidden_field(hidden) for hidden in form.hidden_fields())


def hidden_field(bound) -> str:
    """`{{ bound }}` of a hidden field (its widget alone)."""
    return _widget(bound) if not bound.errors else str(bound)


def step_form_html(form, *, action: str, button: str, csrf: str, button_class: str = "", draft: str = "") -> str:
    """`{% include "components/step_form.html" %}` of a form without `novalidate`
    (`button` a translation, not escaped, as the template's `_("...")`; `draft`
    the draft_attrs' markup, or none)."""
    return (
        f'\n<form method="post" action="{escape(action)}"{" " + draft if draft else ""}>{csrf}{hidden_html(form)}\n'
        f"  {error_summary_html(form)}\n"
        f"  {fields_html(form)}\n"
        f'  <button type="submit" class="btn {escape(button_class or "btn--block")}">{button}</button>\n'
        "</form>\n"
    )
