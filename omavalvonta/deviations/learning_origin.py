"""A learning review opened from a deviation report (core.registry
LEARNING_ORIGINS, the entry "deviation"): the deviations area owns the report,
so it decides who may open a review from it (whoever may handle it: its named
handler, the unit's leaders, the directors) and what the review starts with
(a title naming the report's number and type, never a child or the reporter;
the report itself; the report's unit)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from omavalvonta.core import registry
from omavalvonta.deviations.models import Deviation
from omavalvonta.organisation import access


def deviation_origin(*, actor, ref) -> dict | None:
    """`ref`: the report's id, or the report itself when the caller has it (the
    report page's learning panel: no second read of the same row)."""
    if isinstance(ref, Deviation):
        deviation = ref
    else:
        try:
            deviation = Deviation.objects.select_related("unit", "unit__region").get(pk=ref)
        except (Deviation.DoesNotExist, ValueError, TypeError):
            return None
    if not access.can_on(actor, deviation, access.P_DEVIATION_HANDLE):
        return None
    return {
        "title": _("%(kind)s, report %(number)s") % {"number": deviation.number, "kind": deviation.get_kind_display()},
        "deviation_ids": [deviation.pk],
        "units": [deviation.unit],
    }


def register() -> None:
    registry.register(registry.LEARNING_ORIGINS, "deviation", deviation_origin)
