"""Regions first: the shape of an overview of many units (the children in care,
the restrictive measures). Above OVERVIEW_UNIT_ROWS units the page lists the
regions with their figure; one region's units on request (?alue=). The areas
give the units (from the kernel) and their figure per region; this module knows
no area."""

from __future__ import annotations

from django.db.models import Count

from omavalvonta.core.lib import bounds
from omavalvonta.organisation.models import Region

OVERVIEW_UNIT_ROWS = 30


def regions_of(units, totals: dict) -> list[dict]:
    """Per region of `units` (a queryset the kernel gave): how many units, and
    `totals[region id]` (the area's figure). Two queries, however many units."""
    unit_counts = dict(units.order_by().values("region_id").annotate(n=Count("id")).values_list("region_id", "n"))
    return [
        {"region": region, "units": unit_counts[region.pk], "total": totals.get(region.pk, 0)}
        for region in Region.objects.filter(pk__in=unit_counts).order_by("name", "pk")
    ]


def pick_region(regions: list[dict], raw) -> tuple[dict | None, bool]:
    """The region row asked for by `raw` (?alue=; anything else: none), and
    whether the page lists the regions first (none asked and too many units)."""
    region_id = bounds.parse_int(raw or "")
    region = next((r for r in regions if r["region"].pk == region_id), None)
    return region, region is None and sum(r["units"] for r in regions) > OVERVIEW_UNIT_ROWS
