"""The access kernel's part in keeping compiled SQL (core/lib/kept.py, with
organisation/access.py): what of a person decides how the kernel scopes their
queries, and a copy of the person that builds the same queries reading nothing."""

from __future__ import annotations

import copy
import dataclasses

from omavalvonta.core.lib.kept import kept_rows
from omavalvonta.organisation import access


def shape_key(actor) -> tuple:
    """Everything of `actor` the kernel's scoping depends on: who they are (the
    object rules name them) and their grants, a region's grant with the ids of
    the region's units (the kernel writes them into the SQL; read once per
    request, as the kernel's own scoping reads them)."""
    return (
        actor.pk,
        tuple(
            sorted(
                (g.role, g.unit_id or 0, g.region_id or 0, g.region_ids.ids if g.region_id is not None else ())
                for g in access.grants(actor)
            )
        ),
    )


def reading_nothing(actor):
    """A copy of `actor` with its fields and grants (those of `shape_key`) and
    nothing else that was read for it: a query built for it reads the database
    only where the building itself reads (which core/lib/kept.py looks for)."""
    access.grants(actor)
    actor = getattr(actor, "_wrapped", actor)  # request.user: the person itself
    fields = {f.attname for f in actor._meta.concrete_fields}
    fresh = copy.copy(actor)
    fresh.__dict__ = {name: value for name, value in actor.__dict__.items() if name in fields}
    fresh._state = copy.copy(actor._state)
    fresh._state.fields_cache = {}
    regrants = []
    for grant in access.grants(actor):
        regrant = dataclasses.replace(grant)
        if grant.region_id is not None:
            regrant.__dict__["region_ids"] = grant.region_ids  # the cached property, as read
        regrants.append(regrant)
    fresh._access_grants = regrants
    return fresh


def kept_rows_for(actor, name, build, *, today, now) -> list[tuple]:
    """core/lib/kept.py's kept_rows of the values query `build(person, now)`
    for `actor`, kept per `name` (hashable), the person's shape (`shape_key`) and the day:
    learnt with the copy of the person that reads nothing."""
    return kept_rows(
        (name, *shape_key(actor), today),
        lambda at: build(actor, at),
        lambda at: build(reading_nothing(actor), at),
        now=now,
    )
