"""What the pages of the improvement area share."""

from __future__ import annotations

PAGE_SIZE = 20


def _unit_from(request, units):
    """The unit chosen with ?unit= (or a posted unit) among `units`, else the first."""
    wanted = request.POST.get("unit") or request.GET.get("unit")
    units = list(units)
    for unit in units:
        if str(unit.pk) == str(wanted):
            return unit
    return units[0] if units else None
