"""What the complaints area puts on a unit's timeline (core.registry
UNIT_TIMELINE): complaints received and answered, named by their number only
(never the complainant, never what the complaint says)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from omavalvonta.complaints.models import Complaint
from omavalvonta.core.lib.dates import day_range, day_start
from omavalvonta.core.registry import TimelineEntry
from omavalvonta.organisation import access


def complaint_timeline(*, actor, unit, after=None, before=None, limit=50) -> list[TimelineEntry]:
    """Complaints of `unit` received and answered, for those who read its
    complaints (two queries)."""
    if not access.can(actor, access.P_COMPLAINT_VIEW, unit):
        return []
    in_unit = Complaint.objects.filter(unit=unit)
    entries = []
    received = in_unit.filter(**day_range("received_on", after=after, before=before)).order_by("-received_on", "-id")
    for pk, on in received.values_list("pk", "received_on")[:limit]:
        entries.append(_entry(pk, on, "received"))
    answered = in_unit.filter(answered_on__isnull=False, **day_range("answered_on", after=after, before=before))
    for pk, on in answered.order_by("-answered_on", "-id").values_list("pk", "answered_on")[:limit]:
        entries.append(_entry(pk, on, "answered"))
    return entries


def _entry(pk, on, event):
    title = _("Complaint received (#%(number)s)") if event == "received" else _("Complaint answered (#%(number)s)")
    return TimelineEntry(
        at=day_start(on), area="complaints", kind=event, title=title % {"number": pk},
        link=reverse("complaints:detail", args=[pk]),
    )
