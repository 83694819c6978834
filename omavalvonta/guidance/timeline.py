"""What the guidance area puts on a unit's timeline (core.registry UNIT_TIMELINE):
guidance, decisions, findings and requests received for the unit, and closed.
The item's own title can name a person, so the entry names its kind and number."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from omavalvonta.core.lib.dates import day_range, day_start, moment_range
from omavalvonta.core.registry import TimelineEntry
from omavalvonta.guidance.models import Guidance, GuidanceUnit, Kind
from omavalvonta.organisation import access


def guidance_timeline(*, actor, unit, after=None, before=None, limit=50) -> list[TimelineEntry]:
    """Items naming `unit` or the whole group, received and closed, for those who
    see the unit's guidance (as the meeting agenda reads them; two queries)."""
    if not access.can(actor, access.P_GUIDANCE_VIEW, unit):
        return []
    in_unit = Exists(GuidanceUnit.objects.filter(guidance_id=OuterRef("pk"), unit_id=unit.pk))
    concerning = Guidance.objects.filter(Q(applies_to_all_units=True) | Q(in_unit))
    entries = []
    received = concerning.filter(**day_range("received_on", after=after, before=before)).order_by("-received_on", "-id")
    for pk, kind, on in received.values_list("pk", "kind", "received_on")[:limit]:
        entries.append(_entry(pk, kind, day_start(on), "received"))
    closed = concerning.filter(closed_at__isnull=False, **moment_range("closed_at", after=after, before=before))
    for pk, kind, at in closed.order_by("-closed_at", "-id").values_list("pk", "kind", "closed_at")[:limit]:
        entries.append(_entry(pk, kind, at, "closed"))
    return entries


def _entry(pk, kind, at, event):
    label = Kind(kind).label if kind in Kind.values else kind
    title = _("Received: %(kind)s (#%(number)s)") if event == "received" else _("Closed: %(kind)s (#%(number)s)")
    return TimelineEntry(
        at=at, area="guidance", kind=f"{kind}_{event}",
        title=title % {"kind": label, "number": pk}, link=reverse("guidance:detail", args=[pk]),
    )
