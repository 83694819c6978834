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
    detail_link,
)
from omavalvonta.notifications.services import notification_enqueue
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


# --- Routing ----------------------------------------------------------------------------------
