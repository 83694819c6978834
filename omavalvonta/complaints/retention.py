"""Retention of complaints (privacy's table through registry.RETENTION):
complaints answered before the cutoff, counted from the written answer, and
their destruction with their audit trail. An unanswered complaint is never due."""

from __future__ import annotations

from django.db import transaction

from omavalvonta.complaints.models import Complaint
from omavalvonta.core.registry import RetentionDue
from omavalvonta.core.services import audit_trail_delete


def complaints_due(*, cutoff, limit: int) -> list[RetentionDue]:
    """Complaints answered before `cutoff`: ids, answer dates, units."""
    rows = (
        Complaint.objects.filter(answered_on__isnull=False, answered_on__lt=cutoff)
        .order_by("answered_on", "pk").values_list("pk", "answered_on", "unit_id")[:limit]
    )
    return [RetentionDue(id=pk, dated=answered, unit_id=unit_id) for pk, answered, unit_id in rows]


def complaints_destroy(*, ids) -> list[int]:
    """Destroy answered complaints with their audit trail (the actions they led
    to lose the reference through registry.RECORD_DESTROYED)."""
    with transaction.atomic():
        found = list(
            Complaint.objects.select_for_update()
            .filter(pk__in=list(ids), answered_on__isnull=False).values_list("pk", flat=True)
        )
        if not found:
            return []
        audit_trail_delete(Complaint, found)
        Complaint.objects.filter(pk__in=found).delete()
    return found


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from omavalvonta.core import registry

    registry.register(
        registry.RETENTION, "complaint", complaints_due, order=35, label=_("Complaints"),
        event=_("the written answer"), destroy=complaints_destroy, model_label="complaints.complaint",
    )
