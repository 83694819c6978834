"""What the deviations area puts on a unit's timeline (core.registry UNIT_TIMELINE):
reports and grievances received and closed, and the statutory notifications sent.
Titles name the kind of report and its number, never its text, a child or the
reporter."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from omavalvonta.core.lib.compound import newest_of_parts, newest_rows
from omavalvonta.core.lib.dates import moment_range
from omavalvonta.core.registry import TimelineEntry
from omavalvonta.deviations.choices import Kind
from omavalvonta.deviations.models import Deviation, StatutoryNotification
from omavalvonta.organisation import access


def deviation_timeline(*, actor, unit, after=None, before=None, limit=50) -> list[TimelineEntry]:
    """Reports received and closed in `unit` that `actor` may see (one query on
    PostgreSQL, two on SQLite)."""
    visible = Deviation.objects.for_actor(actor, access.P_DEVIATION_VIEW).filter(unit=unit)
    received = visible.filter(**moment_range("submitted_at", after=after, before=before)).order_by("-submitted_at", "-id")
    closed = visible.filter(closed_at__isnull=False, **moment_range("closed_at", after=after, before=before))
    found = newest_of_parts(
        received.values_list("pk", "kind", "submitted_at"),
        closed.order_by("-closed_at", "-id").values_list("pk", "kind", "closed_at"),
        limit=limit,
    )
    events = ("received", "closed")
    return [_entry(pk, kind, at, events[part]) for part, (pk, kind, at) in newest_rows(found, at=2, limit=limit)]


def _entry(pk, kind, at, event):
    label = Kind(kind).label if kind in Kind.values else kind
    grievance = kind == Kind.GRIEVANCE
    if event == "received":
        title = _("Grievance received (#%(number)s)") if grievance else _("Reported: %(kind)s (#%(number)s)")
    else:
        title = _("Grievance closed (#%(number)s)") if grievance else _("Closed: %(kind)s (#%(number)s)")
    return TimelineEntry(
        at=at,
        area="deviations",
        kind=f"{'grievance' if grievance else 'deviation'}_{event}",
        title=title % {"kind": label, "number": pk},
        link=reverse("deviations:detail", args=[pk]),
    )


def notification_timeline(*, actor, unit, after=None, before=None, limit=50) -> list[TimelineEntry]:
    """Statutory notifications sent from `unit`, to whom by kind (one query)."""
    if not access.can(actor, access.P_DEVIATION_VIEW, unit):
        return []
    visible_reports = Deviation.objects.for_actor(actor, access.P_DEVIATION_VIEW).filter(unit=unit).values("pk")
    sent = (
        StatutoryNotification.objects.filter(unit=unit, deviation__in=visible_reports)
        .filter(**moment_range("sent_at", after=after, before=before))
        .order_by("-sent_at", "-id")
    )
    return [
        TimelineEntry(
            at=n.sent_at,
            area="notifications",
            kind=f"statutory_{n.purpose}",
            title=_("Statutory notification sent: %(recipient)s (report #%(number)s)")
            % {"recipient": n.get_recipient_kind_display(), "number": n.deviation_id},
            link=reverse("deviations:detail", args=[n.deviation_id]),
        )
        for n in sent.only("pk", "sent_at", "purpose", "recipient_kind", "deviation_id")[:limit]
    ]
