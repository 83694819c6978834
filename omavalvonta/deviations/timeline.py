"""What the deviations area puts on a unit's timeline (core.registry UNIT_TIMELINE):
reports and grievances received and closed, and the statutory notifications sent.
Titles name the kind of report and its number, never its text, a child or the
reporter."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from omavalvonta.core.lib.choices import label_of
from omavalvonta.core.lib.compound import shaped
from omavalvonta.core.lib.dates import moment_range
from omavalvonta.core.registry import TimelineEntry, TimelinePart
from omavalvonta.deviations.choices import Kind, NotificationRecipient
from omavalvonta.deviations.models import Deviation, StatutoryNotification
from omavalvonta.organisation import access, access_unit


def deviation_timeline(*, actor, unit, after=None, before=None) -> list[TimelinePart]:
    """Reports received and closed in `unit` that `actor` may see (kept
    compiled for the unit when they see all of its reports)."""

    def build(after, before):
        visible = access_unit.filter_in_unit(Deviation.objects.all(), actor, access.P_DEVIATION_VIEW, unit)
        received = visible.filter(**moment_range("submitted_at", after=after, before=before))
        closed = visible.filter(closed_at__isnull=False, **moment_range("closed_at", after=after, before=before))
        return [
            TimelinePart(
                rows=received.order_by("-submitted_at", "-id").values_list("submitted_at", "pk", "kind"), entry=_received
            ),
            TimelinePart(rows=closed.order_by("-closed_at", "-id").values_list("closed_at", "pk", "kind"), entry=_closed),
        ]

    if access_unit.sees_all_of_unit(actor, access.P_DEVIATION_VIEW, unit, model=Deviation):
        return shaped(("deviations.reports", unit.pk), build, after=after, before=before)
    return build(after, before)


def _received(at, pk, kind) -> TimelineEntry:
    if kind == Kind.GRIEVANCE:
        return _entry(at, pk, "grievance_received", _("Grievance received (#%(number)s)"), kind)
    return _entry(at, pk, "deviation_received", _("Reported: %(kind)s (#%(number)s)"), kind)


def _closed(at, pk, kind) -> TimelineEntry:
    if kind == Kind.GRIEVANCE:
        return _entry(at, pk, "grievance_closed", _("Grievance closed (#%(number)s)"), kind)
    return _entry(at, pk, "deviation_closed", _("Closed: %(kind)s (#%(number)s)"), kind)


def _entry(at, pk, event, title, kind) -> TimelineEntry:
    label = label_of(Kind, kind)
    return TimelineEntry(
        at=at, area="deviations", kind=event, title=title % {"kind": label, "number": pk},
        link=reverse("deviations:detail", args=[pk]),
    )


def notification_timeline(*, actor, unit, after=None, before=None) -> list[TimelinePart]:
    """Statutory notifications sent from `unit`, to whom by kind."""
    if not access.can(actor, access.P_DEVIATION_VIEW, unit):
        return []

    def build(after, before):
        visible_reports = access_unit.filter_in_unit(Deviation.objects.all(), actor, access.P_DEVIATION_VIEW, unit).values("pk")
        sent = StatutoryNotification.objects.filter(
            unit_id=unit.pk, deviation__in=visible_reports, **moment_range("sent_at", after=after, before=before)
        )
        rows = sent.order_by("-sent_at", "-id").values_list("sent_at", "deviation_id", "purpose", "recipient_kind")
        return [TimelinePart(rows=rows, entry=_notification)]

    if access_unit.sees_all_of_unit(actor, access.P_DEVIATION_VIEW, unit, model=Deviation):
        return shaped(("deviations.notifications", unit.pk), build, after=after, before=before)
    return build(after, before)


def _notification(at, number, purpose, recipient) -> TimelineEntry:
    recipient = label_of(NotificationRecipient, recipient)
    return TimelineEntry(
        at=at, area="notifications", kind=f"statutory_{purpose}",
        title=_("Statutory notification sent: %(recipient)s (report #%(number)s)")
        % {"recipient": recipient, "number": number},
        link=reverse("deviations:detail", args=[number]),
    )
