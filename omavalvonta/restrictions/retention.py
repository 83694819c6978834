"""Retention of restrictive measures (privacy's table through
registry.RETENTION): a child's measures, with their signed decisions and
accounts and the record of their handing over, counted from the end of the
child's placement (part of the child's client documents, Act 703/2023). A
current placement's are never due."""

from __future__ import annotations

from omavalvonta.clients.retention import placement_ended_due, register_child_documents
from omavalvonta.core.registry import RetentionDue
from omavalvonta.core.services import retention_destroy
from omavalvonta.restrictions import monthly
from omavalvonta.restrictions.models import DocumentHandover, Restriction, RestrictionDocument


def restrictions_due(*, cutoff, limit: int) -> list[RetentionDue]:
    """Measures of placements that ended before `cutoff`: ids, end dates, units."""
    return placement_ended_due(Restriction.objects.all(), cutoff=cutoff, limit=limit)


def restrictions_destroy(*, ids) -> list[int]:
    """Destroy measures with their documents, handovers and audit trail (and
    forget their months' counts)."""

    def documents_destroy(found):
        monthly.months_forget(Restriction.objects.filter(pk__in=found).dates("started_at", "month"))
        DocumentHandover.objects.filter(document__restriction_id__in=found).delete()
        RestrictionDocument.objects.filter(restriction_id__in=found).delete()

    return retention_destroy(Restriction.objects.all(), ids, with_them=documents_destroy)


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    register_child_documents(
        "restriction", restrictions_due, restrictions_destroy, order=46, label=_("Restrictive measures"),
        model_label="restrictions.restriction",
    )
