"""Reads of the register. Every read starts from the kernel (restriction.view in
the child's unit); every read of a child's restrictions writes an access-log row."""

from __future__ import annotations

from omavalvonta.clients import selectors as clients_selectors
from omavalvonta.core.services import access_log_record
from omavalvonta.organisation import access
from omavalvonta.restrictions.models import Restriction

LIST_RELATED = ("placement", "created_by")
CHILD_PANEL_LATEST = 5


def units_with_restrictions(*, actor):
    """The units whose register `actor` may read, by name."""
    return access.units_for(actor, access.P_RESTRICTION_VIEW).select_related("region").order_by("name", "pk")


def unit_restrictions(*, actor, unit):
    """The unit's register, newest first, for an actor already allowed to read it."""
    access.require(actor, access.P_RESTRICTION_VIEW, unit)
    return Restriction.objects.filter(unit=unit).order_by("-started_at", "-id")


def restriction_get(*, actor, pk, perm: str = access.P_RESTRICTION_VIEW, request=None) -> Restriction:
    """One restriction: 404 outside the actor's units, 403 inside without `perm`.
    Every read is written to the access log (what="restriction.detail")."""
    restriction = access.access_object(
        Restriction.objects.select_related("placement", "unit", "created_by", "decided_by"), actor, pk, perm
    )
    access_log_record(
        actor=actor, target=restriction, what="restriction.detail", right=perm, unit=restriction.unit, request=request
    )
    return restriction


def placement_for_record(*, actor, pk, request=None):
    """The child a measure is recorded for (restriction.record in the child's unit)."""
    return clients_selectors.placement_get(actor=actor, pk=pk, perm=access.P_RESTRICTION_RECORD, request=request)


def child_panel(*, actor, placement) -> dict | None:
    """The child's page's panel (core.registry CHILD_PAGE_PANELS): the child's
    latest measures, their number, the debriefs still missing and the way to
    record one; nothing for those who may not read the unit's register. The
    page's read is in the access log already, once (the child's page writes
    "placement.detail": one row per page read, whatever its panels show)."""
    if not access.can(actor, access.P_RESTRICTION_VIEW, placement.unit):
        return None
    rows = Restriction.objects.filter(placement=placement).order_by("-started_at", "-id")
    latest = list(rows[:CHILD_PANEL_LATEST])
    total = len(latest) if len(latest) < CHILD_PANEL_LATEST else rows.count()
    return {
        "template": "restrictions/_child_panel.html",
        "placement_id": placement.pk,
        "restrictions": latest,
        "total": total,
        "debriefs_missing": rows.filter(debrief_at__isnull=True).count() if total else 0,
        "can_record": access.can(actor, access.P_RESTRICTION_RECORD, placement.unit)
        and (placement.ends_on is None),
    }
