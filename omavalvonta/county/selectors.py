"""Reads of the purchasing county's own view and of the open API: the same
functions for both, every one scoped by the access kernel
(organisation.access_county) to one county. The areas' data comes through
core.registry (COUNTY_NOTIFICATIONS, COUNTY_SECTIONS); the public data (units,
approved plans, published follow-up reports) from plans.public, as the public
site reads it. Nothing here names a child or a reporter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils import timezone

from omavalvonta.core import registry
from omavalvonta.core.lib import kept
from omavalvonta.organisation import access_county
from omavalvonta.organisation.models import Unit
from omavalvonta.plans import public as plans_public

# The figures' default period: the past twelve months to today.
DEFAULT_PERIOD_DAYS = 365


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date


def default_period(today: dt.date | None = None) -> Period:
    today = today or timezone.localdate()
    return Period(start=today - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1), end=today)


# --- Units and their plans -------------------------------------------------------------------


def county_units(*, county):
    """The units that concern `county` (purchased from, or with its children
    placed there now), by name, with their regions: a queryset."""
    return access_county.county_units(county).select_related("region")


def county_unit_ids(*, county) -> list[int]:
    """The ids of the county's units, by name: one query, its SQL kept compiled
    per county and day (core/lib/kept.py: the kernel's filter is built from
    the county and the day alone)."""
    today = timezone.localdate()

    def build(_now):
        return access_county.county_units(county, today=today).values_list("pk")

    rows = kept.kept_rows(("county.unit_ids", county.pk, today), build, build, now=timezone.now())
    return [pk for (pk,) in rows]


class _Region(NamedTuple):
    name: str


@dataclass(eq=False)
class UnitRow:
    """What the county home's table shows of a unit (county/rows.py), read as
    values: its plans and figures are added to it."""

    pk: int
    name: str
    service_type: str
    public_slug: str
    region: _Region
    approved_plans: list = field(default_factory=list)
    figures: dict = field(default_factory=dict)


def units_of(unit_ids) -> list[UnitRow]:
    """The units `unit_ids` (the county's, from county_unit_ids) in that order,
    with their regions' names: what the county home's table shows (one query)."""
    unit_ids = list(unit_ids)
    rows = Unit.objects.filter(pk__in=unit_ids).values_list("pk", "name", "service_type", "public_slug", "region__name")
    found = {pk: UnitRow(pk, name, kind, slug, _Region(region)) for pk, name, kind, slug, region in rows}
    return [found[pk] for pk in unit_ids if pk in found]


def county_unit(*, county, pk) -> Unit:
    """One of the county's units; another unit is 404."""
    return access_county.county_unit(county, pk)


def public_units():
    """Active units with an approved plan (the public site's index)."""
    return (
        Unit.objects.filter(is_active=True, pk__in=plans_public.unit_ids_with_approved_plan())
        .select_related("region")
        .order_by("name", "pk")
    )


def with_plans(units) -> list:
    """`units` (a list), each with the approved version of each plan kind
    (kind, number, approved_at) in `approved_plans`, for links to their public pages. One query."""
    units = list(units)
    approvals = plans_public.approvals_by_unit(unit_ids=[u.pk for u in units])
    for unit in units:
        unit.approved_plans = approvals.get(unit.pk, [])
    return units


def published_reports():
    return plans_public.published_reports()


def newest_published_reports(limit: int) -> list:
    """The newest `limit` published follow-up reports with their periods and
    publishing dates only, for links (not their figures: hundreds of kilobytes each)."""
    return list(published_reports().only("period_start", "period_end", "published_at")[:limit])


# --- What was notified to the county -------------------------------------------------------


def _notifications_entry():
    return registry.get(registry.COUNTY_NOTIFICATIONS, "deviations")


def notifications(*, county, unit_id: int | None = None, newest: int | None = None):
    """The reports notified to `county`, newest first: a values() queryset (an
    empty list without the deviations area); with `newest`, the newest that
    many only (the database groups the messages of those reports alone)."""
    entry = _notifications_entry()
    if entry is None:
        return []
    if newest is not None:
        if unit_id is not None:
            raise ValueError("newest is for the county's whole list")
        return entry.func(county=county, newest=newest)
    rows = entry.func(county=county)
    if unit_id is not None:
        rows = rows.filter(unit_id=unit_id)
    return rows


def notification(*, county, deviation_id, actor=None, reader: str = "", request=None) -> dict | None:
    """One report notified to `county` (its read logged by the provider), or None."""
    entry = _notifications_entry()
    if entry is None:
        return None
    return entry.detail(county=county, deviation_id=deviation_id, actor=actor, reader=reader, request=request)


def labelled(rows) -> list[dict]:
    """The rows with their kind and state as words in the active language."""
    entry = _notifications_entry()
    labels = entry.labels() if entry is not None else {"kind": {}, "state": {}}
    return [
        {
            **row,
            "kind_label": str(labels["kind"].get(row["kind"], row["kind"])),
            "state_label": str(labels["state"].get(row["state"], row["state"])),
            "is_grievance": row["kind"] == "grievance",
        }
        for row in rows
    ]


# --- The areas' figures for the county's units --------------------------------------------


def sections(*, county, unit_ids, period: Period) -> list[dict]:
    """[{"name", "title", "template", "figures"}] of every COUNTY_SECTIONS
    provider that has something for these units in the period."""
    unit_ids = list(unit_ids)
    found = []
    for entry in registry.entries(registry.COUNTY_SECTIONS):
        figures = entry.func(county=county, unit_ids=unit_ids, period_start=period.start, period_end=period.end)
        if figures:
            found.append(
                {
                    "name": entry.name,
                    "title": str(entry.title),
                    "template": entry.details.get("template", ""),
                    "figures": figures,
                }
            )
    return found


# The figures of one unit shown in the county's table of units: the sections
# whose figures have a row per unit (`by_unit`, each with its `unit_id`).
def by_unit(sections) -> dict[str, dict[int, dict]]:
    """{section name: {unit id: the unit's row}} of the sections with rows per unit."""
    return {
        s["name"]: {row["unit_id"]: row for row in s["figures"]["by_unit"]}
        for s in sections
        if isinstance(s["figures"], dict) and "by_unit" in s["figures"]
    }


def summary(sections) -> list[dict]:
    """The sections without their rows per unit (the county's home shows those
    in its table of units, a page at a time). New dicts: the kept ones are shared."""
    return [
        {**s, "figures": {k: v for k, v in s["figures"].items() if k != "by_unit"}}
        if isinstance(s["figures"], dict) and "by_unit" in s["figures"]
        else s
        for s in sections
    ]


def current_approvals():
    return plans_public.current_approvals()
