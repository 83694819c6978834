"""Retention of meeting minutes (privacy's table through registry.RETENTION):
meetings whose minutes were closed before the cutoff, and their destruction
with their agenda items, attendance and audit trail. A meeting whose minutes
are still open is never due."""

from __future__ import annotations

from omavalvonta.core.registry import RetentionDue
from omavalvonta.core.services import audit_trail_delete, retention_destroy, retention_due
from omavalvonta.meetings.models import AgendaItem, ChildrensMeeting, Meeting, MeetingState


def minutes_due(*, cutoff, limit: int) -> list[RetentionDue]:
    """Meetings whose minutes were closed before `cutoff`: ids, closing dates, units."""
    closed = Meeting.objects.filter(state=MeetingState.MINUTES_CLOSED, closed_at__date__lt=cutoff)
    return retention_due(closed, "closed_at", limit=limit)


def minutes_destroy(*, ids) -> list[int]:
    """Destroy closed meetings with their agenda items and audit trail."""

    def items_trail(found):
        audit_trail_delete(AgendaItem, AgendaItem.objects.filter(meeting_id__in=found).values_list("pk", flat=True))

    return retention_destroy(Meeting.objects.filter(state=MeetingState.MINUTES_CLOSED), ids, with_them=items_trail)


def childrens_meetings_due(*, cutoff, limit: int) -> list[RetentionDue]:
    """Children's meetings held before `cutoff`: ids, days, units."""
    return retention_due(ChildrensMeeting.objects.filter(held_on__lt=cutoff), "held_on", limit=limit)


def childrens_meetings_destroy(*, ids) -> list[int]:
    """Destroy children's meetings with their audit trail."""
    return retention_destroy(ChildrensMeeting.objects.all(), ids)


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from omavalvonta.core import registry

    registry.register(
        registry.RETENTION, "meeting", minutes_due, order=40, label=_("Meeting minutes"),
        event=_("closing of the minutes"), destroy=minutes_destroy, model_label="meetings.meeting",
    )
    registry.register(
        registry.RETENTION, "childrens_meeting", childrens_meetings_due, order=41, label=_("Children's meetings"),
        event=_("the meeting"), destroy=childrens_meetings_destroy, model_label="meetings.childrensmeeting",
    )
