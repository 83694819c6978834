"""What the outcomes area puts on a unit's timeline (core.registry UNIT_TIMELINE):
how many functional-capacity measurements were recorded on a day, counts only
(never which child)."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import ngettext

from omavalvonta.core.lib.dates import day_range
from omavalvonta.core.registry import TimelineEntry, TimelinePart
from omavalvonta.organisation import access
from omavalvonta.outcomes.models import Measurement


def measurement_timeline(*, actor, unit, after=None, before=None) -> list[TimelinePart]:
    """Measurements in `unit` counted by day, for those who count its children."""
    if not access.can(actor, access.P_CLIENT_COUNT, unit):
        return []
    days = (
        Measurement.objects.filter(unit_id=unit.pk, **day_range("measured_on", after=after, before=before))
        .order_by()
        .values("measured_on")
        .annotate(n=Count("id"))
        .order_by("-measured_on")
    )
    link = reverse("outcomes:unit_effectiveness", args=[unit.pk])

    def entry(at, n) -> TimelineEntry:
        return TimelineEntry(
            at=at, area="outcomes", kind="measurements",
            title=ngettext(
                "%(count)d functional-capacity measurement recorded",
                "%(count)d functional-capacity measurements recorded",
                n,
            ) % {"count": n},
            link=link,
        )

    return [TimelinePart(rows=days.values_list("measured_on", "n"), entry=entry, day=True)]
