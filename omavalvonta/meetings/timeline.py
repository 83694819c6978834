"""What the meetings area puts on a unit's timeline (core.registry UNIT_TIMELINE):
the meetings whose minutes were closed, with how many decisions they made."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import ngettext

from omavalvonta.core.lib.compound import shaped
from omavalvonta.core.lib.dates import moment_range
from omavalvonta.core.registry import TimelineEntry, TimelinePart
from omavalvonta.meetings.models import Meeting
from omavalvonta.organisation import access, access_unit


def meeting_timeline(*, actor, unit, after=None, before=None) -> list[TimelinePart]:
    """Minutes closed in `unit` and their decisions counted."""
    def build(after, before):
        closed = (
            access_unit.filter_in_unit(Meeting.objects.all(), actor, access.P_MEETING_VIEW, unit)
            .filter(closed_at__isnull=False, **moment_range("closed_at", after=after, before=before))
            .annotate(decisions=Count("items", filter=~Q(items__decision="")))
            .order_by("-closed_at", "-id")
        )
        return [TimelinePart(rows=closed.values_list("closed_at", "pk", "title", "decisions"), entry=_closed)]

    if access_unit.sees_all_of_unit(actor, access.P_MEETING_VIEW, unit, model=Meeting):
        return shaped(("meetings.closed", unit.pk), build, after=after, before=before)
    return build(after, before)


def _closed(at, pk, title, decisions) -> TimelineEntry:
    return TimelineEntry(
        at=at, area="meetings", kind="minutes_closed",
        title=ngettext(
            "Minutes closed: %(title)s, %(count)d decision",
            "Minutes closed: %(title)s, %(count)d decisions",
            decisions,
        ) % {"title": title, "count": decisions},
        link=reverse("meetings:detail", args=[pk]),
    )
