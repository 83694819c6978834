"""What the guidance area puts on a unit's timeline (core.registry UNIT_TIMELINE):
guidance, decisions, findings and requests received for the unit, and closed.
The item's own title can name a person, so the entry names its kind and number."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from omavalvonta.core.lib.choices import label_of
from omavalvonta.core.lib.compound import shaped
from omavalvonta.core.lib.dates import day_bounds, day_window, moment_range
from omavalvonta.core.registry import TimelineEntry, TimelinePart
from omavalvonta.guidance.models import Guidance, GuidanceUnit, Kind
from omavalvonta.organisation import access


def guidance_timeline(*, actor, unit, after=None, before=None) -> list[TimelinePart]:
    """Items naming `unit` or the whole group, received and closed, for those who
    see the unit's guidance (as the meeting agenda reads them)."""
    if not access.can(actor, access.P_GUIDANCE_VIEW, unit):
        return []
    def build(first, end, after, before):
        in_unit = Exists(GuidanceUnit.objects.filter(guidance_id=OuterRef("pk"), unit_id=unit.pk))
        concerning = Guidance.objects.filter(Q(applies_to_all_units=True) | Q(in_unit))
        received = concerning.filter(**day_window("received_on", first=first, end=end))
        closed = concerning.filter(closed_at__isnull=False, **moment_range("closed_at", after=after, before=before))
        return [
            TimelinePart(
                rows=received.order_by("-received_on", "-id").values_list("received_on", "pk", "kind"),
                entry=_received, day=True,
            ),
            TimelinePart(rows=closed.order_by("-closed_at", "-id").values_list("closed_at", "pk", "kind"), entry=_closed),
        ]

    first, end = day_bounds(after=after, before=before)
    return shaped(("guidance.items", unit.pk), build, first=first, end=end, after=after, before=before)


def _received(at, pk, kind) -> TimelineEntry:
    return _entry(at, pk, kind, "received", _("Received: %(kind)s (#%(number)s)"))


def _closed(at, pk, kind) -> TimelineEntry:
    return _entry(at, pk, kind, "closed", _("Closed: %(kind)s (#%(number)s)"))


def _entry(at, pk, kind, event, title) -> TimelineEntry:
    label = label_of(Kind, kind)
    return TimelineEntry(
        at=at, area="guidance", kind=f"{kind}_{event}",
        title=title % {"kind": label, "number": pk}, link=reverse("guidance:detail", args=[pk]),
    )
