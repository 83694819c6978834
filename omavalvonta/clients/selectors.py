"""Reads of the placement records. Every read starts from the kernel: a unit's
children for those with client.view there, counts for those with client.count;
a child's page writes an access-log row."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from omavalvonta.clients.models import (
    Placement,
    PlacementMention,
    PlacementType,
    SocialWorkerDelivery,
    SocialWorkerDownload,
)
from omavalvonta.core.lib.counts import CountsFirst, counts_first
from omavalvonta.core.services import access_log_record
from omavalvonta.organisation import access, access_people, overview
from omavalvonta.organisation.models import WellbeingCounty


def units_with_children(*, actor, perm: str = access.P_CLIENT_COUNT):
    """The active units where `actor` may use `perm`, by name."""
    return access.units_for(actor, perm).select_related("region").order_by("name", "pk")


def region_overview(*, actor) -> list[dict]:
    """Per region of the units the actor may count: how many units and children
    placed now (three queries, however many units), for a group too large to list
    every unit at once (organisation.overview)."""
    today = timezone.localdate()
    units = units_with_children(actor=actor).order_by()
    children = dict(
        Placement.objects.filter(unit__in=units.values("pk"))
        .current(today)
        .order_by()
        .values("unit__region_id")
        .annotate(n=Count("id"))
        .values_list("unit__region_id", "n")
    )
    return overview.regions_of(units, children)


def unit_overview(*, actor, region_id: int | None = None) -> list[dict]:
    """Per unit the actor may count (in one region when given): the current
    children by placement type (one query for the counts). A unit whose children
    the actor may see is marked so."""
    today = timezone.localdate()
    units = units_with_children(actor=actor)
    if region_id is not None:
        units = units.filter(region_id=region_id)
    units = list(units)
    counts = {
        row["unit_id"]: row
        for row in Placement.objects.filter(unit__in=[u.pk for u in units])
        .current(today)
        .values("unit_id")
        .annotate(
            total=Count("id"),
            **{t: Count("id", filter=Q(placement_type=t)) for t in PlacementType.values},
        )
    }
    viewable = set(access.units_for(actor, access.P_CLIENT_VIEW).values_list("pk", flat=True))
    result = []
    for unit in units:
        row = counts.get(unit.pk, {})
        result.append(
            {
                "unit": unit,
                "total": row.get("total", 0),
                "by_type": [(label, row.get(value, 0)) for value, label in PlacementType.choices if row.get(value)],
                "can_view": unit.pk in viewable,
            }
        )
    return result


def unit_children(*, actor, unit, ended: bool = False) -> list[Placement]:
    """The unit's current children (or its ended placements), for an actor
    already allowed client.view there (access_unit). One query."""
    access.require(actor, access.P_CLIENT_VIEW, unit)
    today = timezone.localdate()
    qs = Placement.objects.filter(unit=unit).select_related("county")
    if ended:
        return list(qs.ended(today).order_by("-ends_on", "name", "pk"))
    return list(qs.current(today).order_by("name", "pk"))


def unit_ended_count(*, unit) -> int:
    return Placement.objects.filter(unit=unit).ended(timezone.localdate()).count()


def personal_worker_choices(unit):
    """Who may be a child's personal worker: the active people who see the
    unit's children (client.view there), by name."""
    return access_people.people_with(access.P_CLIENT_VIEW, unit).order_by("full_name", "pk")


def placement_get(*, actor, pk, perm: str = access.P_CLIENT_VIEW, request=None) -> Placement:
    """One placement: 404 outside the actor's units, 403 inside without `perm`.
    Every read is written to the access log (what="placement.detail")."""
    placement = access.access_object(Placement.objects.select_related("county", "personal_worker"), actor, pk, perm)
    access_log_record(
        actor=actor, target=placement, what="placement.detail", right=perm, unit=placement.unit, request=request
    )
    return placement


def counties() -> list:
    """Every wellbeing services county, for the placement form."""
    return list(WellbeingCounty.objects.order_by("name", "pk"))


# --- The children a record names ------------------------------------------------------


def child_choices(*, actor, unit) -> list[tuple[int, str]]:
    """The unit's current children that `actor` may name on a report: (id, label)."""
    if unit is None or not access.can(actor, access.P_CLIENT_VIEW, unit):
        return []
    today = timezone.localdate()
    return [
        (pk, name)
        for pk, name in Placement.objects.filter(unit=unit).current(today).order_by("name", "pk").values_list("pk", "name")
    ]


def _named_by(record):
    """The placements a record names (a queryset)."""
    target_type = ContentType.objects.get_for_model(record)
    ids = PlacementMention.objects.filter(target_type=target_type, target_id=record.pk).values("placement_id")
    return Placement.objects.filter(pk__in=ids)


def record_children(*, record) -> list[Placement]:
    """The placements a record names, with their counties."""
    return list(_named_by(record).select_related("county").order_by("name", "pk"))


def record_recipients(*, actor, record) -> dict:
    """Who must hear about the children `record` names: their placing counties and
    responsible social workers. The children are named only to an actor who may
    see the unit's children; others get the count."""
    placements = record_children(record=record)
    unit = getattr(record, "unit", None)
    may_see = unit is not None and access.can(actor, access.P_CLIENT_VIEW, unit)
    contacts, seen = [], set()
    for p in placements:
        key = str(p.pk)
        if (p.social_worker_email, p.county_id) in seen:
            continue
        seen.add((p.social_worker_email, p.county_id))
        contacts.append((key, f"{p.social_worker_name} ({p.county.name})", p.social_worker_email, p.county_id))
    return {
        "count": len(placements),
        "labels": [p.name for p in placements] if may_see else [],
        "county_ids": sorted({p.county_id for p in placements}),
        "counties": sorted({p.county for p in placements}, key=lambda c: (c.name, c.pk)),
        "contacts": contacts,
        # For the check that an outgoing message does not name a child; never shown.
        "names": [p.name for p in placements],
    }


def _panel_counts(*, record, unit_id=None) -> dict:
    """The deviation panel's counts from the record's id alone (`record` may
    carry nothing but its id; the deviation page keeps their SQL compiled)."""
    return {"children": _named_by(record)}


def _panel(*, actor, deviation, counted) -> dict | None:
    """The deviation panel from its counts (`_panel_counts`)."""
    placements = record_children(record=deviation) if counted["children"] else []
    if not placements:
        return None
    may_see = access.can(actor, access.P_CLIENT_VIEW, deviation.unit)
    return {
        "template": "clients/_deviation_children.html",
        "count": len(placements),
        "children": placements if may_see else [],
    }


@counts_first
def deviation_panel(*, actor, deviation) -> CountsFirst:
    """The deviation page's panel of the children the report names (core.registry
    DEVIATION_PANELS): the children with links for those who may see the unit's
    children, their number for others; nothing when the report names none
    (counted first: no read of the children then). The page counts it from
    `record_counts` and makes it with `with_counts`."""
    return CountsFirst(
        _panel_counts(record=deviation), lambda counted: _panel(actor=actor, deviation=deviation, counted=counted)
    )


deviation_panel.record_counts = _panel_counts
deviation_panel.with_counts = _panel


def placement_for_job(*, pk) -> Placement:
    """A placement for a background job (no actor: the job reads no page)."""
    return Placement.objects.select_related("unit").get(pk=pk)


def deliveries_of_child(*, placement, generator: str, limit: int = 20) -> list:
    """A child's documents of one kind sent to social workers (for a page that
    already read the child), newest first, each with its download attempts
    (`attempts`: the log of the reader outside the product) and `opened`."""
    return list(
        SocialWorkerDelivery.objects.filter(placement=placement, generator=generator)
        .annotate(opened=Count("downloads", filter=Q(downloads__succeeded=True)))
        .prefetch_related(Prefetch("downloads", queryset=SocialWorkerDownload.objects.order_by("-at", "-id"),
                                   to_attr="attempts"))
        .select_related("created_by")
        .order_by("-created_at", "-id")[:limit]
    )


def deliveries(*, ids) -> list:
    """Documents sent to social workers (for a page that already read their record):
    to whom, when, until when, and how many times opened."""
    return list(
        SocialWorkerDelivery.objects.filter(pk__in=ids)
        .annotate(opened=Count("downloads", filter=Q(downloads__succeeded=True)))
        .order_by("-created_at")
    )


def county_placement_units(*, county_id: int, today: dt.date):
    """core.registry COUNTY_PLACEMENTS: the ids of the units where the county
    has children placed on `today` (a subquery; no child is named)."""
    return Placement.objects.current(today).filter(county_id=county_id).order_by().values("unit_id")
