"""What the complaints area puts on a unit's timeline (core.registry
UNIT_TIMELINE): complaints received and answered, named by their number only
(never the complainant, never what the complaint says)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, DateField, Q, Value, When
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils.translation import gettext as _

from omavalvonta.complaints.models import Complaint
from omavalvonta.core.lib.dates import day_range, day_start
from omavalvonta.core.registry import TimelineEntry
from omavalvonta.organisation import access

_NEVER = dt.date(1, 1, 1)


def complaint_timeline(*, actor, unit, after=None, before=None, limit=50) -> list[TimelineEntry]:
    """Complaints of `unit` received and answered in the window, for those who
    read its complaints. One query: the complaints with an event in the window,
    by their newest such event, `limit` of them (their events include the
    newest `limit` events of the unit)."""
    if not access.can(actor, access.P_COMPLAINT_VIEW, unit):
        return []
    received = Q(received_on__isnull=False, **day_range("received_on", after=after, before=before))
    answered = Q(answered_on__isnull=False, **day_range("answered_on", after=after, before=before))
    newest = Greatest(
        Case(When(received, then="received_on"), default=Value(_NEVER), output_field=DateField()),
        Case(When(answered, then="answered_on"), default=Value(_NEVER), output_field=DateField()),
    )
    rows = (
        Complaint.objects.filter(Q(unit=unit) & (received | answered))
        .annotate(newest=newest)
        .order_by("-newest", "-id")
        .values_list("pk", "received_on", "answered_on")[:limit]
    )
    entries = []
    for pk, received_on, answered_on in rows:
        for event, on in (("received", received_on), ("answered", answered_on)):
            if on is not None and _in(on, after, before):
                entries.append(_entry(pk, on, event))
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]


def _in(day, after, before) -> bool:
    start = day_start(day)
    return (after is None or start >= after) and (before is None or start < before)


def _entry(pk, on, event):
    title = _("Complaint received (#%(number)s)") if event == "received" else _("Complaint answered (#%(number)s)")
    return TimelineEntry(
        at=day_start(on), area="complaints", kind=event, title=title % {"number": pk},
        link=reverse("complaints:detail", args=[pk]),
    )
