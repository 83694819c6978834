"""Reads of the register. Every read starts from the kernel (restriction.view in
the child's unit); every read of a child's restrictions writes an access-log row."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils import timezone

from omavalvonta.clients import selectors as clients_selectors
from omavalvonta.core.services import access_log_record
from omavalvonta.organisation import access
from omavalvonta.restrictions import law
from omavalvonta.restrictions.models import Restriction

LIST_RELATED = ("placement", "created_by")
CHILD_PANEL_LATEST = 5
# Outside the unit a count this small could point at one child: shown as "fewer than".
SMALL_GROUP = 5
OVERVIEW_DAYS = 365


def unit_counts(*, actor) -> list[dict]:
    """Per unit the actor may count (client.count: the children's figures), the
    measures of the last year, in one query; no names. A unit whose register the
    actor reads is linked; for others a count under SMALL_GROUP is only "fewer"."""
    units = list(access.units_for(actor, access.P_CLIENT_COUNT).select_related("region").order_by("name", "pk"))
    since = timezone.now() - dt.timedelta(days=OVERVIEW_DAYS)
    counts = dict(
        Restriction.objects.filter(unit__in=[u.pk for u in units], started_at__gte=since)
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    viewable = set(access.units_for(actor, access.P_RESTRICTION_VIEW).values_list("pk", flat=True))
    rows = []
    for unit in units:
        n = counts.get(unit.pk, 0)
        can_view = unit.pk in viewable
        rows.append({"unit": unit, "count": n, "can_view": can_view, "small": not can_view and 0 < n < SMALL_GROUP})
    return rows


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


def child_panel(*, actor, placement, request=None) -> dict | None:
    """The child's page's panel (core.registry CHILD_PANELS): the child's
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
        # The law allows no restrictive measure for this placement (open-care support, aftercare).
        "none_allowed": not law.allowed_for(placement.placement_type),
    }


def deviation_panel(*, actor, deviation) -> dict | None:
    """The deviation page's panel (core.registry DEVIATION_PANELS): the measures
    recorded about the same event, for those who read the unit's register; when
    the report says a restraint was used and none is recorded yet, links to
    record it for the children the report names, with the report's number
    filled in (one recording, not two)."""
    unit = deviation.unit
    if not access.can(actor, access.P_RESTRICTION_VIEW, unit):
        return None
    template = "restrictions/_deviation_panel.html"
    linked = list(
        Restriction.objects.filter(unit=unit, deviation_id=deviation.pk)
        .select_related("placement")
        .order_by("started_at", "id")
    )
    if linked:
        return {"template": template, "restrictions": linked}
    if not (getattr(deviation, "restraint_used", False) and access.can(actor, access.P_RESTRICTION_RECORD, unit)):
        return None
    children = [
        p for p in clients_selectors.record_children(record=deviation) if p.unit_id == unit.pk and p.ends_on is None
    ]
    return {"template": template, "restrictions": [], "children": children, "deviation_id": deviation.pk}
