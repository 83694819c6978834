"""What the improvement area puts on a unit's timeline (core.registry UNIT_TIMELINE):
actions opened and their effectiveness checks. An action's own text can name a
person, so the entry names the kind of action and its number only."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from omavalvonta.core.lib.choices import label_of
from omavalvonta.core.lib.compound import shaped
from omavalvonta.core.lib.dates import moment_range
from omavalvonta.core.registry import TimelineEntry, TimelinePart
from omavalvonta.improvement.models import Action, ActionKind, Effectiveness
from omavalvonta.organisation import access, access_unit


def action_timeline(*, actor, unit, after=None, before=None) -> list[TimelinePart]:
    """Actions opened, and effectiveness checks recorded, in `unit`."""
    def build(after, before):
        visible = access_unit.filter_in_unit(Action.objects.all(), actor, access.P_ACTION_VIEW, unit)
        opened = visible.filter(**moment_range("created_at", after=after, before=before))
        checked = visible.filter(
            effectiveness_checked_at__isnull=False, **moment_range("effectiveness_checked_at", after=after, before=before)
        )
        return [
            TimelinePart(rows=opened.order_by("-created_at", "-id").values_list("created_at", "pk", "kind"), entry=_opened),
            TimelinePart(
                rows=checked.order_by("-effectiveness_checked_at", "-id").values_list(
                    "effectiveness_checked_at", "pk", "effectiveness"
                ),
                entry=_checked,
            ),
        ]

    if access_unit.sees_all_of_unit(actor, access.P_ACTION_VIEW, unit, model=Action):
        return shaped(("improvement.actions", unit.pk), build, after=after, before=before)
    return build(after, before)


def _opened(at, pk, kind) -> TimelineEntry:
    return TimelineEntry(
        at=at, area="actions", kind=f"{kind}_opened",
        title=_("%(kind)s opened (#%(number)s)") % {"kind": label_of(ActionKind, kind), "number": pk},
        link=reverse("improvement:action_detail", args=[pk]),
    )


def _checked(at, pk, result) -> TimelineEntry:
    return TimelineEntry(
        at=at, area="actions", kind="effectiveness_checked",
        title=_("Effectiveness checked (action #%(number)s): %(result)s")
        % {"number": pk, "result": label_of(Effectiveness, result)},
        link=reverse("improvement:action_detail", args=[pk]),
    )

