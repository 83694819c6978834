"""What the pages of the improvement area share."""

from __future__ import annotations

from omavalvonta.core.forms import form_page

PAGE_SIZE = 20


def _unit_from(request, units):
    """The unit chosen with ?unit= (or a posted unit) among `units`, else the first."""
    wanted = request.POST.get("unit") or request.GET.get("unit")
    units = list(units)
    for unit in units:
        if str(unit.pk) == str(wanted):
            return unit
    return units[0] if units else None


def start_page(request, form_class, perform, *, heading, intro, names, button, cancel, **page):
    """The narrow page that starts a record (a log entry, an action plan):
    `form_page` in improvement/start_form.html, with its `heading`, the `intro`
    under it, the form's fields `names`, the `button` and Cancel back to `cancel`."""
    context = {"heading": heading, "intro": intro, "names": names, "button": button, "cancel": cancel}
    return form_page(request, form_class, perform, template="improvement/start_form.html", context=context, **page)
