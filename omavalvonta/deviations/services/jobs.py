"""Background jobs of the deviation area (run by the `worker` command)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.deviations.models import (
    Deviation,
    State,
)
from omavalvonta.deviations.services._common import (
    STALLED_BATCH,
    _alerted,
    _event,
    _local,
    _tell,
)
from omavalvonta.organisation.models import Role
from omavalvonta.organisation.selectors import unit_managers


def _each_claimed(due, claim, handle) -> int:
    """Each report of `due` in its own transaction: `claim(deviation)` (a
    conditional UPDATE, so that workers running side by side never take one
    twice) and, when it claimed the row, `handle(deviation)`. One bad row does
    not hold back the rest. Returns how many were handled."""
    count = 0
    for deviation in due:
        with transaction.atomic():
            if not claim(deviation):
                continue
            handle(deviation)
            count += 1
    return count


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

    def claim(deviation):
        return Deviation.objects.filter(pk=deviation.pk, state=State.SUBMITTED, escalated_at__isnull=True).update(
            escalated_at=now
        )

    def escalate(deviation):
        deviation.escalated_at = now
        unit = deviation.unit
        # The stalled handler is who the escalation is about, not to.
        recipients = unit_managers(unit=unit, exclude_user_id=deviation.handler_id)
        handler_name = deviation.handler.full_name if deviation.handler_id else _("no handler named")
        _tell(
            recipients,
            deviation,
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
        )
        _event(None, deviation, "deviation.escalated", recipients=[p.pk for p in recipients])

    return _each_claimed(due, claim, escalate)


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

    def claim(deviation):
        return Deviation.objects.filter(pk=deviation.pk, notification_late_at__isnull=True).update(
            notification_late_at=now
        )

    def alert(deviation):
        people = _alerted(deviation, [Role.RESPONSIBLE_PERSON, Role.REGIONAL_DIRECTOR, Role.QUALITY_DIRECTOR])
        values = {"number": deviation.number, "unit": deviation.unit.name, "due": _local(deviation.notification_due_at)}
        _tell(
            people.values(),
            deviation,
            kind="deviation.notification_late",
            subject=_("Statutory notification late: deviation report %(number)s, %(unit)s") % values,
            body=_(
                "The county and the supervisory authority should have been notified of deviation report "
                "%(number)s (%(unit)s) by %(due)s, and they have not all been. Notify them now."
            )
            % values,
        )
        _event(
            None, deviation, "deviation.notification_late",
            due=deviation.notification_due_at.isoformat(), recipients=sorted(people),
        )

    return _each_claimed(due, claim, alert)
