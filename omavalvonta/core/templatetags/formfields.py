"""A form's fields, each in the component that fits its widget.

`{% fields form "name unit due_date" %}` renders the named fields in that order
(every visible field of the form when no names are given), each through one of the
components in templates/components/: a checkbox as a tappable row (check.html),
a radio group or a set of checkboxes as a list of large choices (radios.html),
anything else as a labelled input (field.html). The choice is made here, once,
so that a form page lists its fields instead of repeating an include a field.
A field without errors is written by core.lib.formhtml (the same markup without
a template render); `cols` and `required` in the context are the radio list's
options, as for an include of radios.html."""

from django import template
from django.utils.safestring import mark_safe

from omavalvonta.core.lib.formhtml import CHECK, CHOICES, FIELD, component, field_html

register = template.Library()

__all__ = ["CHECK", "CHOICES", "FIELD", "component", "fields"]


@register.simple_tag(takes_context=True)
def fields(context, form, names=""):
    """The named fields of `form` (space-separated; every visible one when none), rendered."""
    engine = context.template.engine
    cols, required = context.get("cols"), context.get("required")
    rendered = []
    for bound in [form[name] for name in names.split()] or form.visible_fields():
        html = field_html(bound, cols=cols, required=required)
        if html is None:
            with context.push(field=bound):
                html = engine.get_template(component(bound)).render(context)
        rendered.append(html)
    return mark_safe("".join(rendered))  # each part is a rendered (escaped) template or formhtml's escaped markup
