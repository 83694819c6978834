"""Retention of meeting minutes (privacy's table through registry.RETENTION):
meetings whose minutes were closed before the cutoff, and their destruction
with their agenda items, attendance and audit trail. A meeting whose minutes
are still open is never due."""

from __future__ import annotations

from django.db import transaction

from omavalvonta.core.registry import RetentionDue
from omavalvonta.core.services import audit_trail_delete
from omavalvonta.meetings.models import AgendaItem, Meeting, MeetingState


def minutes_due(*, cutoff, limit: int) -> list[RetentionDue]:
    """Meetings whose minutes were closed before `cutoff`: ids, closing dates, units."""
    rows = (
        Meeting.objects.filter(state=MeetingState.MINUTES_CLOSED, closed_at__date__lt=cutoff)
        .order_by("closed_at", "pk").values_list("pk", "closed_at", "unit_id")[:limit]
    )
    return [RetentionDue(id=pk, dated=closed_at, unit_id=unit_id) for pk, closed_at, unit_id in rows]


def minutes_destroy(*, ids) -> list[int]:
    """Destroy closed meetings with their agenda items and audit trail."""
    with transaction.atomic():
        found = list(
            Meeting.objects.select_for_update()
            .filter(pk__in=list(ids), state=MeetingState.MINUTES_CLOSED).values_list("pk", flat=True)
        )
        if not found:
            return []
        items = list(AgendaItem.objects.filter(meeting_id__in=found).values_list("pk", flat=True))
        audit_trail_delete(AgendaItem, items)
        audit_trail_delete(Meeting, found)
        Meeting.objects.filter(pk__in=found).delete()
    return found


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from omavalvonta.core import registry

    registry.register(
        registry.RETENTION, "meeting", minutes_due, order=40, label=_("Meeting minutes"),
        event=_("closing of the minutes"), destroy=minutes_destroy, model_label="meetings.meeting",
    )
