"""Retention of restrictive measures (privacy's table through
registry.RETENTION): a child's measures, with their signed decisions and
accounts and the record of their handing over, counted from the end of the
child's placement (part of the child's client documents, Act 703/2023). A
current placement's are never due."""

from __future__ import annotations

from django.db import transaction

from omavalvonta.core.registry import RetentionDue
from omavalvonta.core.services import audit_trail_delete
from omavalvonta.restrictions.models import DocumentHandover, Restriction, RestrictionDocument


def restrictions_due(*, cutoff, limit: int) -> list[RetentionDue]:
    """Measures of placements that ended before `cutoff`: ids, end dates, units."""
    rows = (
        Restriction.objects.filter(placement__ends_on__lt=cutoff)
        .order_by("placement__ends_on", "pk").values_list("pk", "placement__ends_on", "unit_id")[:limit]
    )
    return [RetentionDue(id=pk, dated=ended, unit_id=unit_id) for pk, ended, unit_id in rows]


def restrictions_destroy(*, ids) -> list[int]:
    """Destroy measures with their documents, handovers and audit trail."""
    with transaction.atomic():
        found = list(Restriction.objects.select_for_update().filter(pk__in=list(ids)).values_list("pk", flat=True))
        if not found:
            return []
        DocumentHandover.objects.filter(document__restriction_id__in=found).delete()
        RestrictionDocument.objects.filter(restriction_id__in=found).delete()
        audit_trail_delete(Restriction, found)
        Restriction.objects.filter(pk__in=found).delete()
    return found


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from omavalvonta.core import registry

    registry.register(
        registry.RETENTION, "restriction", restrictions_due, order=46, label=_("Restrictive measures"),
        event=_("end of the child's placement"), destroy=restrictions_destroy, model_label="restrictions.restriction",
    )
