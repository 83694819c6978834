"""A unit's timeline: what happened in one unit, newest first, across areas.

Every area contributes through core.registry UNIT_TIMELINE (no area is imported
here); each provider reads only what the actor may see in the unit through the
access kernel, in one or two queries, so a page costs the same number of queries
whatever the data. Pages go back in time with a cursor (the time of the page's
last entry), not an offset."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from omavalvonta.core import registry

PAGE_SIZE = 40


@dataclass(frozen=True)
class TimelinePage:
    entries: list
    next_before: dt.datetime | None  # the cursor of the next (older) page; None: nothing older


def timeline_areas() -> list[tuple[str, str]]:
    """The areas that contribute, (name, label), in their order (the page's filter)."""
    return [(entry.name, entry.label) for entry in registry.entries(registry.UNIT_TIMELINE)]


def unit_timeline(*, actor, unit, areas=None, after=None, before=None, limit: int = PAGE_SIZE) -> TimelinePage:
    """One page of `unit`'s timeline for `actor`: the newest `limit` entries of the
    chosen `areas` (None: all) with after <= at < before. Entries at the same time
    as the page's last one all stay on this page, so the cursor loses none."""
    merged, cut = [], False
    for entry in registry.entries(registry.UNIT_TIMELINE):
        if areas and entry.name not in areas:
            continue
        # One more than a page: whether anything older is left.
        found = entry.func(actor=actor, unit=unit, after=after, before=before, limit=limit + 1)
        cut = cut or len(found) > limit
        merged.extend(found)
    merged.sort(key=lambda e: e.at, reverse=True)
    if len(merged) <= limit:
        return TimelinePage(entries=merged, next_before=None)
    cursor = merged[limit - 1].at
    page = [e for e in merged if e.at >= cursor]
    # Older entries are left when this page leaves some of those read out, or when
    # an area had more than it was asked for.
    older = len(page) < len(merged) or cut
    return TimelinePage(entries=page, next_before=cursor if older else None)
