"""Retention of complaints (privacy's table through registry.RETENTION):
complaints answered before the cutoff, counted from the written answer, and
their destruction with their audit trail. An unanswered complaint is never due."""

from __future__ import annotations

from omavalvonta.complaints.models import Complaint
from omavalvonta.core.registry import RetentionDue
from omavalvonta.core.services import retention_destroy, retention_due


def complaints_due(*, cutoff, limit: int) -> list[RetentionDue]:
    """Complaints answered before `cutoff`: ids, answer dates, units."""
    answered = Complaint.objects.filter(answered_on__isnull=False, answered_on__lt=cutoff)
    return retention_due(answered, "answered_on", limit=limit)


def complaints_destroy(*, ids) -> list[int]:
    """Destroy answered complaints with their audit trail (the actions they led
    to lose the reference through registry.RECORD_DESTROYED)."""
    return retention_destroy(Complaint.objects.filter(answered_on__isnull=False), ids)


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from omavalvonta.core import registry

    registry.register(
        registry.RETENTION, "complaint", complaints_due, order=35, label=_("Complaints"),
        event=_("the written answer"), destroy=complaints_destroy, model_label="complaints.complaint",
    )
