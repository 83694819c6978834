"""The agenda that builds itself, from the agenda sources in core.registry.

An agenda source is a function `(*, actor, unit) -> iterable` returning what is
waiting in `unit` for a meeting. It runs with the chair as `actor`, so it sees
only what the chair may see. Each result may be

* an `AgendaProposal` (kind, title, source, note),
* a dict with "title" and optionally "kind", "source" and "note",
* a model instance: its `str()` is the title and the instance the source.

The area that owns the data registers its source from its AppConfig.ready(),
without importing this app:

    registry.register(registry.AGENDA_SOURCES, "guidance", guidance_for_agenda,
                      order=30, kind="guidance")

Details: `kind` (an AgendaItemKind value, the default kind of its proposals),
`meeting_kinds` (default: the unit meetings) and `once` (default True: once
handled in closed minutes, a record does not come back; actions due come back
to every meeting until they are done).

A failing source never stops a meeting being created: the agenda is a
convenience; the error is logged and the chair adds the item by hand.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction

from omavalvonta.core import registry
from omavalvonta.meetings.models import UNIT_KINDS, AgendaItemKind

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AgendaProposal:
    kind: str
    title: str
    source: object | None = None
    note: str = ""


def register_agenda_source(
    name: str, func, *, kind: str, meeting_kinds=UNIT_KINDS, once: bool = True, order: int = 100
) -> None:
    """Add (or replace, by name) an agenda source: core.registry's AGENDA_SOURCES
    slot with meetings' own defaults. Sources run in `order`, then in the order added."""
    registry.register(
        registry.AGENDA_SOURCES, name, func, order=order, kind=kind, meeting_kinds=tuple(meeting_kinds), once=once
    )


def agenda_sources() -> list[registry.Entry]:
    return registry.entries(registry.AGENDA_SOURCES)


def _normalise(result, default_kind: str) -> AgendaProposal | None:
    if isinstance(result, AgendaProposal):
        return result
    if isinstance(result, dict):
        title = str(result.get("title") or "").strip()
        if not title:
            return None
        return AgendaProposal(
            kind=result.get("kind") if result.get("kind") in AgendaItemKind.values else default_kind,
            title=title,
            source=result.get("source"),
            note=str(result.get("note") or ""),
        )
    if getattr(result, "_meta", None) is not None and getattr(result, "pk", None) is not None:
        return AgendaProposal(kind=default_kind, title=str(result), source=result)
    return None


def proposals_for(*, actor, meeting) -> list[AgendaProposal]:
    """What is waiting for `meeting`, from every source that applies to its kind."""
    # Group-level meetings (the management group) have no unit: their sources
    # collect across the units the chair may see, and are called with unit None.
    group_level = meeting.unit_id is None
    proposals = []
    for source in agenda_sources():
        details = source.details
        meeting_kinds = tuple(details.get("meeting_kinds", UNIT_KINDS))
        kind = details.get("kind", AgendaItemKind.OTHER)
        if meeting.kind not in meeting_kinds:
            continue
        if group_level and set(meeting_kinds) & set(UNIT_KINDS):
            # A unit source never runs without its unit.
            continue
        try:
            # A savepoint: a failing query in a neighbour's source must not abort
            # the meeting's own transaction (PostgreSQL would).
            with transaction.atomic():
                results = list(source.func(actor=actor, unit=meeting.unit) or ())
        except Exception:  # noqa: BLE001 - see the module docstring
            log.exception("Agenda source %s failed for meeting %s", source.name, meeting.pk)
            continue
        found = [p for p in (_normalise(r, kind) for r in results) if p is not None]
        if details.get("once", True) and not group_level:
            found = _without_handled(found, unit=meeting.unit)
        proposals.extend(found)
    return proposals


def _without_handled(proposals: list[AgendaProposal], *, unit) -> list[AgendaProposal]:
    """Leave off the records that were on the unit's closed minutes already."""
    from django.contrib.contenttypes.models import ContentType

    from omavalvonta.meetings.models import AgendaItem, MeetingState

    by_type: dict[int, set] = {}
    for p in proposals:
        if p.source is not None:
            by_type.setdefault(ContentType.objects.get_for_model(p.source).pk, set()).add(p.source.pk)
    handled = set()
    for type_id, ids in by_type.items():
        handled |= set(
            AgendaItem.objects.filter(
                unit=unit, source_type_id=type_id, source_id__in=ids, meeting__state=MeetingState.MINUTES_CLOSED
            ).values_list("source_type_id", "source_id")
        )
    return [
        p
        for p in proposals
        if p.source is None or (ContentType.objects.get_for_model(p.source).pk, p.source.pk) not in handled
    ]
