"""What the complaints area puts on a unit's timeline (core.registry
UNIT_TIMELINE): complaints received and answered, named by their number only
(never the complainant, never what the complaint says)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from omavalvonta.complaints.models import Complaint
from omavalvonta.core.lib.compound import shaped
from omavalvonta.core.lib.dates import day_bounds, day_window
from omavalvonta.core.registry import TimelineEntry, TimelinePart
from omavalvonta.organisation import access


def complaint_timeline(*, actor, unit, after=None, before=None) -> list[TimelinePart]:
    """Complaints of `unit` received and answered in the window (each event on its
    own day), for those who read its complaints."""
    if not access.can(actor, access.P_COMPLAINT_VIEW, unit):
        return []
    def build(first, end):
        of_unit = Complaint.objects.filter(unit_id=unit.pk)
        received = of_unit.filter(received_on__isnull=False, **day_window("received_on", first=first, end=end))
        answered = of_unit.filter(answered_on__isnull=False, **day_window("answered_on", first=first, end=end))
        return [
            TimelinePart(
                rows=received.order_by("-received_on", "-id").values_list("received_on", "pk"), entry=_received, day=True
            ),
            TimelinePart(
                rows=answered.order_by("-answered_on", "-id").values_list("answered_on", "pk"), entry=_answered, day=True
            ),
        ]

    first, end = day_bounds(after=after, before=before)
    return shaped(("complaints.events", unit.pk), build, first=first, end=end)


def _received(at, pk) -> TimelineEntry:
    return _entry(at, pk, "received", _("Complaint received (#%(number)s)"))


def _answered(at, pk) -> TimelineEntry:
    return _entry(at, pk, "answered", _("Complaint answered (#%(number)s)"))


def _entry(at, pk, event, title) -> TimelineEntry:
    return TimelineEntry(
        at=at, area="complaints", kind=event, title=title % {"number": pk}, link=reverse("complaints:detail", args=[pk])
    )
