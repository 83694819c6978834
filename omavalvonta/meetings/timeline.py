"""What the meetings area puts on a unit's timeline (core.registry UNIT_TIMELINE):
the meetings whose minutes were closed, with how many decisions they made."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import ngettext

from omavalvonta.core.lib.dates import moment_range
from omavalvonta.core.registry import TimelineEntry
from omavalvonta.meetings.models import Meeting
from omavalvonta.organisation import access


def meeting_timeline(*, actor, unit, after=None, before=None, limit=50) -> list[TimelineEntry]:
    """Minutes closed in `unit` and their decisions counted (one query)."""
    closed = (
        Meeting.objects.for_actor(actor, access.P_MEETING_VIEW)
        .filter(unit=unit, closed_at__isnull=False, **moment_range("closed_at", after=after, before=before))
        .annotate(decisions=Count("items", filter=~Q(items__decision="")))
        .order_by("-closed_at", "-id")
    )
    return [
        TimelineEntry(
            at=m.closed_at, area="meetings", kind="minutes_closed",
            title=ngettext(
                "Minutes closed: %(title)s, %(count)d decision",
                "Minutes closed: %(title)s, %(count)d decisions",
                m.decisions,
            ) % {"title": m.title, "count": m.decisions},
            link=reverse("meetings:detail", args=[m.pk]),
        )
        for m in closed.only("pk", "title", "closed_at")[:limit]
    ]
