"""Retention of meeting minutes (privacy's table through registry.RETENTION):
meetings whose minutes were closed before the cutoff, and their destruction
with their agenda items, attendance and audit trail. A meeting whose minutes
are still open is never due."""

from __future__ import annotations

from django.db import transaction

from omavalvonta.core.registry import RetentionDue
from omavalvonta.core.services import audit_trail_delete
from omavalvonta.meetings.models import AgendaItem, ChildrensMeeting, Meeting, MeetingState


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


def childrens_meetings_due(*, cutoff, limit: int) -> list[RetentionDue]:
    """Children's meetings held before `cutoff`: ids, days, units."""
    rows = (
        ChildrensMeeting.objects.filter(held_on__lt=cutoff)
        .order_by("held_on", "pk").values_list("pk", "held_on", "unit_id")[:limit]
    )
    return [RetentionDue(id=pk, dated=held_on, unit_id=unit_id) for pk, held_on, unit_id in rows]


def childrens_meetings_destroy(*, ids) -> list[int]:
    """Destroy children's meetings with their audit trail."""
    with transaction.atomic():
        found = list(ChildrensMeeting.objects.select_for_update().filter(pk__in=list(ids)).values_list("pk", flat=True))
        if not found:
            return []
        audit_trail_delete(ChildrensMeeting, found)
        ChildrensMeeting.objects.filter(pk__in=found).delete()
    return found


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
