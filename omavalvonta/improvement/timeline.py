"""What the improvement area puts on a unit's timeline (core.registry UNIT_TIMELINE):
actions opened and their effectiveness checks. An action's own text can name a
person, so the entry names the kind of action and its number only."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from omavalvonta.core.lib.compound import newest_of_parts, newest_rows
from omavalvonta.core.lib.dates import moment_range
from omavalvonta.core.registry import TimelineEntry
from omavalvonta.improvement.models import Action, ActionKind, Effectiveness
from omavalvonta.organisation import access


def action_timeline(*, actor, unit, after=None, before=None, limit=50) -> list[TimelineEntry]:
    """Actions opened, and effectiveness checks recorded, in `unit` (one query on
    PostgreSQL, two on SQLite)."""
    visible = Action.objects.for_actor(actor, access.P_ACTION_VIEW).filter(unit=unit)
    opened = visible.filter(**moment_range("created_at", after=after, before=before)).order_by("-created_at", "-id")
    checked = visible.filter(
        effectiveness_checked_at__isnull=False, **moment_range("effectiveness_checked_at", after=after, before=before)
    ).order_by("-effectiveness_checked_at", "-id")
    found = newest_of_parts(
        opened.values_list("pk", "kind", "created_at"),
        checked.values_list("pk", "effectiveness", "effectiveness_checked_at"),
        limit=limit,
    )
    build = (_opened, _checked)  # by part
    return [build[part](pk, value, at) for part, (pk, value, at) in newest_rows(found, at=2, limit=limit)]


def _opened(pk, kind, at) -> TimelineEntry:
    return TimelineEntry(
        at=at, area="actions", kind=f"{kind}_opened",
        title=_("%(kind)s opened (#%(number)s)") % {"kind": _label(ActionKind, kind), "number": pk},
        link=reverse("improvement:action_detail", args=[pk]),
    )


def _checked(pk, result, at) -> TimelineEntry:
    return TimelineEntry(
        at=at, area="actions", kind="effectiveness_checked",
        title=_("Effectiveness checked (action #%(number)s): %(result)s")
        % {"number": pk, "result": _label(Effectiveness, result)},
        link=reverse("improvement:action_detail", args=[pk]),
    )


def _label(choices, value):
    return choices(value).label if value in choices.values else value
