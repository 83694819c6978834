"""A form's fields, each in the component that fits its widget.

`{% fields form "name unit due_date" %}` renders the named fields in that order
(every visible field of the form when no names are given), each through one of the
components in templates/components/: a checkbox as a tappable row (check.html),
a radio group or a set of checkboxes as a list of large choices (radios.html),
anything else as a labelled input (field.html). The choice is made here, once,
so that a form page lists its fields instead of repeating an include a field.
A field that needs the component's options (`cols`, `required`) is included on
its own, as before."""

from django import forms, template
from django.utils.safestring import mark_safe

register = template.Library()

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


@register.simple_tag(takes_context=True)
def fields(context, form, names=""):
    """The named fields of `form` (space-separated; every visible one when none), rendered."""
    engine = context.template.engine
    rendered = []
    for bound in [form[name] for name in names.split()] or form.visible_fields():
        with context.push(field=bound):
            rendered.append(engine.get_template(component(bound)).render(context))
    return mark_safe("".join(rendered))  # each part is a rendered (escaped) template
