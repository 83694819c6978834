"""A unit's timeline: what happened in one unit, newest first, across areas.

Every area contributes through core.registry UNIT_TIMELINE (no area is imported
here); each provider gives its kinds of event as querysets reading only what the
actor may see in the unit through the access kernel, and the page reads them all
in one query (core.lib.compound), so a page costs the same whatever the data
and the number of areas. Pages go back in time with a cursor (the time of the page's
last entry), not an offset."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape
from typing import NamedTuple

from django.utils import timezone
from django.utils.safestring import mark_safe

from omavalvonta.core import registry
from omavalvonta.core.lib.compound import newest_of_union

PAGE_SIZE = 40


@dataclass(frozen=True)
class TimelinePage:
    entries: list
    next_before: dt.datetime | None  # the cursor of the next (older) page; None: nothing older


class TimelineRow(NamedTuple):
    entry: registry.TimelineEntry
    area_label: str
    iso: str  # the <time> element's datetime
    shown: str  # 7.12.2026 9.05


def timeline_areas() -> list[tuple[str, str]]:
    """The areas that contribute, (name, label), in their order (the page's filter)."""
    return [(entry.name, entry.label) for entry in registry.entries(registry.UNIT_TIMELINE)]


def timeline_rows(entries, areas) -> list[TimelineRow]:
    """The page's rows, their times written out here once (as the template's
    `date:"c"` and `date:"j.n.Y G.i"` would write them, in the current time
    zone) and the area's name translated once per area."""
    labels = {name: str(label) for name, label in areas}
    rows = []
    for entry in entries:
        local = timezone.localtime(entry.at)
        shown = f"{local.day}.{local.month}.{local.year} {local.hour}.{local.minute:02d}"
        rows.append(TimelineRow(entry, labels.get(entry.area, ""), local.isoformat(), shown))
    return rows


def timeline_items(rows) -> str:
    """The page's list items, written here rather than by a template loop (a
    twentieth of the work for a page of 40), each value escaped as the
    template would (Django's `escape` is the standard library's)."""
    items = []
    for row in rows:
        entry = row.entry
        title = escape(entry.title)
        if entry.link:
            title = f'<a href="{escape(entry.link)}">{title}</a>'
        items.append(
            f'\n      <li data-area="{escape(entry.area)}"><time datetime="{escape(row.iso)}">'
            f"{escape(row.shown)} · {escape(row.area_label)}</time>{title}</li>\n    "
        )
    return mark_safe("".join(items))  # noqa: S308 -- every value escaped above


def unit_timeline(*, actor, unit, areas=None, after=None, before=None, limit: int = PAGE_SIZE) -> TimelinePage:
    """One page of `unit`'s timeline for `actor`: the newest `limit` entries of the
    chosen `areas` (None: all) with after <= at < before, in one query whatever the
    number of areas. Entries at the same time as the page's last one all stay on
    this page, so the cursor loses none."""
    parts = []
    for provider in registry.entries(registry.UNIT_TIMELINE):
        if areas and provider.name not in areas:
            continue
        parts.extend(provider.func(actor=actor, unit=unit, after=after, before=before))
    newest = newest_of_union(parts, limit=limit)
    entries = [parts[index].entry(at, *values) for at, index, values in newest.rows]
    return TimelinePage(entries=entries, next_before=entries[-1].at if newest.older and entries else None)
