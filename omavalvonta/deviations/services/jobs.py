"""Background jobs of the deviation area (run by the `worker` command)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core.services import audit_event_record
from omavalvonta.deviations.models import (
    Deviation,
    State,
)
from omavalvonta.deviations.services._common import (
    STALLED_BATCH,
    _local,
    _members_covering,
    detail_link,
)
from omavalvonta.notifications.services import notification_enqueue
from omavalvonta.organisation.models import Role
from omavalvonta.organisation.selectors import unit_managers


def deviations_escalate_stalled(*, now: dt.datetime | None = None) -> int:
    """Background job: reports still `submitted` after handling_due_at, not yet
    escalated, are escalated to the handler's own manager (the unit's responsible
    person and the region's regional director): notification, escalated_at, audit
    event (actor None). Returns how many.

    Each report is claimed with a conditional UPDATE in its own transaction, so
    workers running side by side never escalate one twice, and one bad row does
    not hold back the rest."""
    now = now or timezone.now()
    due = (
        Deviation.objects.filter(state=State.SUBMITTED, handling_due_at__lt=now, escalated_at__isnull=True)
        .select_related("unit", "unit__region", "handler")
        .order_by("handling_due_at", "id")[:STALLED_BATCH]
    )
    count = 0
    for deviation in due:
        with transaction.atomic():
            claimed = Deviation.objects.filter(
                pk=deviation.pk, state=State.SUBMITTED, escalated_at__isnull=True
            ).update(escalated_at=now)
            if not claimed:
                continue
            deviation.escalated_at = now
            unit = deviation.unit
            # The stalled handler is who the escalation is about, not to.
            recipients = unit_managers(unit=unit, exclude_user_id=deviation.handler_id)
            handler_name = deviation.handler.full_name if deviation.handler_id else _("no handler named")
            for person in recipients:
                notification_enqueue(
                    recipient=person,
                    kind="deviation.escalated",
                    subject=_("Handling has not started: deviation report %(number)s, %(unit)s")
                    % {"number": deviation.number, "unit": unit.name},
                    body=_(
                        "Deviation report %(number)s (%(kind)s) was filed in %(unit)s on %(submitted)s. "
                        "Handling should have started by %(due)s but has not. Handler: %(handler)s."
                    )
                    % {
                        "number": deviation.number,
                        "kind": deviation.get_kind_display(),
                        "unit": unit.name,
                        "submitted": _local(deviation.submitted_at),
                        "due": _local(deviation.handling_due_at),
                        "handler": handler_name,
                    },
                    link=detail_link(deviation),
                )
            audit_event_record(
                actor=None,
                verb="deviation.escalated",
                target=deviation,
                unit=unit,
                recipients=[p.pk for p in recipients],
            )
            count += 1
    return count


def deviations_statutory_clock_check(*, now: dt.datetime | None = None) -> int:
    """Background job: a report whose statutory notification deadline (the § 28
    clock) has passed with a recipient still not notified is late. Its lateness
    is recorded once (notification_late_at, claimed with a conditional UPDATE, an
    audit event) and alerted at once to the handler, the unit's responsible
    persons, the regional director and the quality directors. Returns how many."""
    now = now or timezone.now()
    due = (
        Deviation.objects.filter(
            notification_due_at__lt=now, notification_done_at__isnull=True, notification_late_at__isnull=True
        )
        .select_related("unit", "unit__region", "handler")
        .order_by("notification_due_at", "id")[:STALLED_BATCH]
    )
    count = 0
    for deviation in due:
        with transaction.atomic():
            claimed = Deviation.objects.filter(pk=deviation.pk, notification_late_at__isnull=True).update(
                notification_late_at=now
            )
            if not claimed:
                continue
            unit = deviation.unit
            people = {
                p.pk: p
                for p in _members_covering(
                    unit, [Role.RESPONSIBLE_PERSON, Role.REGIONAL_DIRECTOR, Role.QUALITY_DIRECTOR]
                )
            }
            if deviation.handler_id and deviation.handler.is_active:
                people.setdefault(deviation.handler_id, deviation.handler)
            values = {"number": deviation.number, "unit": unit.name, "due": _local(deviation.notification_due_at)}
            for person in people.values():
                notification_enqueue(
                    recipient=person,
                    kind="deviation.notification_late",
                    subject=_("Statutory notification late: deviation report %(number)s, %(unit)s") % values,
                    body=_(
                        "The county and the supervisory authority should have been notified of deviation report "
                        "%(number)s (%(unit)s) by %(due)s, and they have not all been. Notify them now."
                    )
                    % values,
                    link=detail_link(deviation),
                )
            audit_event_record(
                actor=None,
                verb="deviation.notification_late",
                target=deviation,
                unit=unit,
                due=deviation.notification_due_at.isoformat(),
                recipients=sorted(people),
            )
            count += 1
    return count

