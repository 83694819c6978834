"""What the improvement area puts on a unit's timeline (core.registry UNIT_TIMELINE):
actions opened and their effectiveness checks. An action's own text can name a
person, so the entry names the kind of action and its number only."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from omavalvonta.core.lib.compound import newest_of_parts
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
    got_opened, got_checked = newest_of_parts(
        opened.values_list("pk", "kind", "created_at"),
        checked.values_list("pk", "effectiveness", "effectiveness_checked_at"),
        limit=limit,
    )
    entries = []
    for pk, kind, at in got_opened:
        entries.append(
            TimelineEntry(
                at=at, area="actions", kind=f"{kind}_opened",
                title=_("%(kind)s opened (#%(number)s)") % {"kind": _label(ActionKind, kind), "number": pk},
                link=reverse("improvement:action_detail", args=[pk]),
            )
        )
    for pk, result, at in got_checked:
        entries.append(
            TimelineEntry(
                at=at, area="actions", kind="effectiveness_checked",
                title=_("Effectiveness checked (action #%(number)s): %(result)s")
                % {"number": pk, "result": _label(Effectiveness, result)},
                link=reverse("improvement:action_detail", args=[pk]),
            )
        )
    return entries


def _label(choices, value):
    return choices(value).label if value in choices.values else value
