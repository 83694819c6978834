"""What the outcomes area puts on a unit's timeline (core.registry UNIT_TIMELINE):
how many functional-capacity measurements were recorded on a day, counts only
(never which child)."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import ngettext

from omavalvonta.core.lib.dates import day_range, day_start
from omavalvonta.core.registry import TimelineEntry
from omavalvonta.organisation import access
from omavalvonta.outcomes.models import Measurement


def measurement_timeline(*, actor, unit, after=None, before=None, limit=50) -> list[TimelineEntry]:
    """Measurements in `unit` counted by day, for those who count its children (one query)."""
    if not access.can(actor, access.P_CLIENT_COUNT, unit):
        return []
    days = (
        Measurement.objects.filter(unit=unit, **day_range("measured_on", after=after, before=before))
        .order_by()
        .values("measured_on")
        .annotate(n=Count("id"))
        .order_by("-measured_on")
    )
    link = reverse("outcomes:unit_effectiveness", args=[unit.pk])
    return [
        TimelineEntry(
            at=day_start(row["measured_on"]), area="outcomes", kind="measurements",
            title=ngettext(
                "%(count)d functional-capacity measurement recorded",
                "%(count)d functional-capacity measurements recorded",
                row["n"],
            ) % {"count": row["n"]},
            link=link,
        )
        for row in days[:limit]
    ]
