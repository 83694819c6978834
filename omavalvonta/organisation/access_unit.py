"""The access kernel's reads of one unit (with organisation/access.py, as
access_people.py and access_county.py): whether an actor may use a right on every row of a
unit, and a unit's rows an actor may use a right on, written for one unit
(a unit's timeline reads ~19 kinds of record of one unit); and which rows
lie outside a person's own units (the access-log review)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q

from omavalvonta.organisation import access

if TYPE_CHECKING:
    from omavalvonta.organisation.models import Unit


def sees_all_of_unit(actor, perm: str, unit: Unit, *, model=None, kind_field: str | None = None) -> bool:
    """May `actor` use `perm` on every row of `unit`: a grant covering the unit
    with `perm` and, for a model whose rows have kinds (`model`'s
    `access_kind_field`, or `kind_field`), no limit on the kinds? Then the
    unit's rows are exactly what `filter_for_actor` leaves of them (the object
    rules add nothing inside the unit), whoever the actor."""
    access._check_perm(perm)
    kind_field = kind_field or getattr(model, "access_kind_field", None)
    area = perm.split(".", 1)[0]
    return any(
        perm in g.permissions
        and g.covers(unit.pk, unit.region_id)
        and (not kind_field or g.kind_limits.get(area) is None)
        for g in access.grants(actor)
    )


def filter_in_unit(queryset, actor, perm: str, unit: Unit):
    """`filter_for_actor(queryset, actor, perm)` narrowed to the rows of `unit`,
    written for one unit: the unit's rows alone when `actor` may use `perm` on
    all of them (`sees_all_of_unit`), else the unit's rows within the actor's
    scope and object rules. The same rows either way; the first is a fraction
    of the SQL to build, compile and plan (a unit's timeline has ~19 parts) and
    reads no region's unit list."""
    rows = queryset.filter(unit_id=unit.pk)
    if sees_all_of_unit(actor, perm, unit, model=queryset.model):
        return rows
    return access.filter_for_actor(rows, actor, perm)


def outside_own_units_q(*, user_field: str, unit_field: str) -> Q:
    """Rows whose unit (`unit_field`) is not one of the own units of the person in
    `user_field`: no membership of theirs names that unit or its region. A wide
    (organisation-level) role has no own units, so all its reads of a unit's
    records are outside them. Rows without a unit are never outside. (The
    access-log review flags such reads.)"""
    from omavalvonta.organisation.models import Membership

    own = Membership.objects.filter(user_id=OuterRef(f"{user_field}_id")).filter(
        Q(unit_id=OuterRef(f"{unit_field}_id")) | Q(region_id=OuterRef(f"{unit_field}__region_id"))
    )
    return Q(**{f"{unit_field}__isnull": False}) & ~Q(Exists(own))


def scope_parts(actor, perm: str, *, model, most: int = 6) -> list[Q] | None:
    """The rows `filter_for_actor` gives `actor`, as a few filters whose union
    is the same rows: one a unit grant (its kind limit included), one an object
    rule; None when a grant covers a region or the organisation, or there would
    be none or more than `most`. A page of a long sorted list then walks each
    part's own index to the page's end and merges them, cheap whichever plan the
    database picks (the OR of a supervisor's unit and object rules was planned
    as a 9 ms walk of the whole list's sort index or a 1 ms bitmap scan, by
    ANALYZE's sample)."""
    access._check_perm(perm)
    kind_field = getattr(model, "access_kind_field", None)
    area = perm.split(".", 1)[0]
    parts = []
    for g in access.grants(actor):
        if perm not in g.permissions:
            continue
        if g.unit_id is None:
            return None
        part = Q(unit_id=g.unit_id)
        if (limit := g.kind_limits.get(area)) is not None and kind_field:
            part &= Q(**{f"{kind_field}__in": sorted(limit)})
        parts.append(part)
    if getattr(actor, "is_authenticated", False) and actor.is_active:
        fields = {f.attname for f in model._meta.concrete_fields}
        parts += [Q(**{rule: actor.pk}) for rule in access.OBJECT_RULES.get(perm, ()) if rule in fields]
    return parts if 0 < len(parts) <= most else None


def counted_scope(actor, perm: str, *, model) -> tuple[Q, bool, Q | None] | None:
    """The rows `filter_for_actor` gives `actor`, for counts kept per unit and
    kind and for the whole organisation per kind (deviations.ReportCount):
    (where, organisation, own). `where` filters the counts' rows on their unit
    and kind as the rows' own (`scope_q`; Q(): everything); `organisation`:
    every grant is organisation-wide, so the organisation's counts are read,
    else the units'; `own` the object rules' rows outside `where`, counted from
    the rows themselves (None: none). None when no grant gives `perm`."""
    access._check_perm(perm)
    held = [g for g in access.grants(actor) if perm in g.permissions]
    if not held:
        return None
    where = access.scope_q(actor, perm, kind_field=getattr(model, "access_kind_field", None))
    if not where:  # organisation-wide and unlimited: every row
        return Q(), True, None
    owner = access._owner_q(model, actor, perm)
    return where, all(g.is_organisation_wide for g in held), None if owner is None else owner & ~where
