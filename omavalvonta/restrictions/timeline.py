"""What the restrictions area puts on a unit's timeline (core.registry UNIT_TIMELINE):
how many restrictive measures began on a day, counts only (never which child)."""

from __future__ import annotations

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils.translation import ngettext

from omavalvonta.core.lib.dates import HELSINKI, moment_range, whole_days
from omavalvonta.core.registry import TimelineEntry, TimelinePart
from omavalvonta.organisation import access
from omavalvonta.restrictions.models import Restriction


def restriction_timeline(*, actor, unit, after=None, before=None) -> list[TimelinePart]:
    """Measures in `unit` counted by the day they began, for those who count its
    children. A day's entry sits at the day's start, and counts the whole day."""
    if not access.can(actor, access.P_CLIENT_COUNT, unit):
        return []
    after, before = whole_days(after=after, before=before)
    days = (
        Restriction.objects.filter(unit_id=unit.pk, **moment_range("started_at", after=after, before=before))
        .annotate(day=TruncDate("started_at", tzinfo=HELSINKI))
        .order_by()
        .values("day")
        .annotate(n=Count("id"))
        .order_by("-day")
    )
    link = reverse("restrictions:figures", args=[unit.pk])

    def entry(at, n) -> TimelineEntry:
        return TimelineEntry(
            at=at, area="restrictions", kind="measures",
            title=ngettext("%(count)d restrictive measure", "%(count)d restrictive measures", n) % {"count": n},
            link=link,
        )

    return [TimelinePart(rows=days.values_list("day", "n"), entry=entry, day=True)]
