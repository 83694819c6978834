"""The agenda that builds itself: a small registry of agenda sources.

An agenda source is a function `(*, actor, unit) -> iterable` returning what is
waiting in `unit` for a meeting. It runs with the chair as `actor`, so it sees
only what the chair may see. Each result may be

* an `AgendaProposal` (kind, title, source, note),
* a dict with "title" and optionally "source" and "note",
* a model instance: its `str()` is the title and the instance the source.

Areas add their own sources in two ways:

* `register_agenda_source(...)` (from their AppConfig.ready()), or
* by convention, without touching this app: a function with the name listed in
  `HOOKS` in their `selectors` module. A hook that is not there (yet) is skipped.

A failing source never stops a meeting being created: the agenda is a
convenience; the error is logged and the chair adds the item by hand.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction

from omavalvonta.meetings.models import UNIT_KINDS, AgendaItemKind, MeetingKind

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AgendaProposal:
    kind: str
    title: str
    source: object | None = None
    note: str = ""


@dataclass(frozen=True)
class AgendaSource:
    name: str
    kind: str  # the AgendaItemKind its proposals get by default
    func: Callable[..., Iterable] | None = None
    # A lazy hook: "module:function", resolved at build time.
    hook: str = ""
    meeting_kinds: tuple[str, ...] = field(default=tuple(UNIT_KINDS))
    # Once handled in closed minutes, a record does not come back (a deviation,
    # guidance); actions due come back to every meeting until they are done.
    once: bool = True

    def resolve(self):
        if self.func is not None:
            return self.func
        module_name, _, func_name = self.hook.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            return None
        return getattr(module, func_name, None)


_SOURCES: list[AgendaSource] = []


def register_agenda_source(
    name: str, func, *, kind: str, meeting_kinds=UNIT_KINDS, hook: str = "", once: bool = True
) -> None:
    """Add (or replace, by name) an agenda source. Sources run in the order added.
    `once`: leave off records already on the unit's closed minutes."""
    source = AgendaSource(
        name=name, kind=kind, func=func, hook=hook, meeting_kinds=tuple(meeting_kinds), once=once
    )
    for i, existing in enumerate(_SOURCES):
        if existing.name == name:
            _SOURCES[i] = source
            return
    _SOURCES.append(source)


def agenda_sources() -> list[AgendaSource]:
    return list(_SOURCES)


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
    for source in _SOURCES:
        if meeting.kind not in source.meeting_kinds:
            continue
        if group_level and set(source.meeting_kinds) & set(UNIT_KINDS):
            # A unit source never runs without its unit.
            continue
        func = source.resolve()
        if func is None:
            continue
        try:
            # A savepoint: a failing query in a neighbour's source must not abort
            # the meeting's own transaction (PostgreSQL would).
            with transaction.atomic():
                results = list(func(actor=actor, unit=meeting.unit) or ())
        except Exception:  # noqa: BLE001 - see the module docstring
            log.exception("Agenda source %s failed for meeting %s", source.name, meeting.pk)
            continue
        found = [p for p in (_normalise(r, source.kind) for r in results) if p is not None]
        if source.once and not group_level:
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


def _register_builtin_sources() -> None:
    # Imported here: selectors import this module's neighbours, not the other way.
    from omavalvonta.meetings import selectors

    register_agenda_source("deviations", selectors.deviations_for_agenda, kind=AgendaItemKind.DEVIATION)
    register_agenda_source("feedback_report", None, kind=AgendaItemKind.FEEDBACK_REPORT,
                           hook="omavalvonta.feedback.selectors:feedback_report_for_agenda")
    register_agenda_source("guidance", None, kind=AgendaItemKind.GUIDANCE,
                           hook="omavalvonta.guidance.selectors:guidance_for_agenda")
    register_agenda_source(
        "actions_due", selectors.actions_due_for_agenda, kind=AgendaItemKind.ACTION_DUE, once=False
    )
    register_agenda_source("plan_review", None, kind=AgendaItemKind.PLAN_REVIEW,
                           hook="omavalvonta.plans.selectors:plan_reviews_for_agenda")

    # The management group: group-level summaries (unit None), counted anew each
    # time the agenda is built or refreshed.
    group = (MeetingKind.MANAGEMENT_GROUP,)
    register_agenda_source("group_serious_deviations", selectors.group_serious_deviations_for_agenda,
                           kind=AgendaItemKind.DEVIATION, meeting_kinds=group, once=False)
    register_agenda_source("group_statutory_notifications", selectors.group_statutory_notifications_for_agenda,
                           kind=AgendaItemKind.DEVIATION, meeting_kinds=group, once=False)
    register_agenda_source("group_overdue_actions", selectors.group_overdue_actions_for_agenda,
                           kind=AgendaItemKind.ACTION_DUE, meeting_kinds=group, once=False)
    register_agenda_source("group_guidance", selectors.group_guidance_for_agenda,
                           kind=AgendaItemKind.GUIDANCE, meeting_kinds=group, once=False)


_register_builtin_sources()
