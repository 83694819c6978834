"""A child's client documents kept by other areas (functional-capacity
measurements, restrictive measures) in privacy's retention table
(registry.RETENTION): their period counts from the end of the child's
placement (Act 703/2023), so a current placement's are never due."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from omavalvonta.core import registry
from omavalvonta.core.services import retention_due


def placement_ended_due(records, *, cutoff, limit: int) -> list[registry.RetentionDue]:
    """The records of the queryset `records` (each with its `placement`) whose
    placement ended before `cutoff`: ids, end dates, units, oldest first."""
    return retention_due(records.filter(placement__ends_on__lt=cutoff), "placement__ends_on", limit=limit)


def register_child_documents(name: str, due, destroy, *, order: int, label, model_label: str) -> None:
    """Put a kind of a child's client documents in the retention table."""
    registry.register(
        registry.RETENTION, name, due, order=order, label=label, event=_("end of the child's placement"),
        destroy=destroy, model_label=model_label,
    )
