"""What the deviations area shows on the home page (core.registry HOME_BLOCKS):
the statutory notifications the person must make or that are late in the units
they oversee, and the reports they handle."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from omavalvonta.deviations.models import Deviation, State
from omavalvonta.deviations.selectors import deviation_list, priority_first
from omavalvonta.organisation import access
from omavalvonta.organisation.models import Role

HOME_QUEUE_ROWS = 8


def handler_queue_home_items(*, actor, today: dt.date | None = None) -> list | None:
    """The open reports `actor` handles, grievances, critical reports and serious
    events first; None when there are none or the actor sees no reports."""
    if not access.has_perm_anywhere(actor, access.P_DEVIATION_VIEW):
        return None
    visible = deviation_list(actor=actor, filters={})
    return list(priority_first(visible.filter(handler=actor).exclude(state=State.CLOSED))[:HOME_QUEUE_ROWS]) or None


# Roles that oversee units and see their late notifications on the home page.
_OVERSEERS = (
    Role.RESPONSIBLE_PERSON,
    Role.REGIONAL_DIRECTOR,
    Role.QUALITY_DIRECTOR,
    Role.REHABILITATION_DIRECTOR,
    Role.MANAGEMENT_GROUP,
)
HOME_CLOCK_ROWS = 6


def statutory_clock_home_items(*, actor, today: dt.date | None = None, now: dt.datetime | None = None) -> dict | None:
    """The home page's statutory notifications: the reports `actor` must notify
    (the § 28 clock runs), soonest deadline first, and for those who oversee
    units the late ones in their scope. None when there is nothing. A fixed
    number of queries."""
    now = now or timezone.now()
    pending = Deviation.objects.filter(notification_due_at__isnull=False, notification_done_at__isnull=True)
    rows, total = [], 0
    if access.has_perm_anywhere(actor, access.P_DEVIATION_NOTIFY):
        mine = pending.for_actor(actor, access.P_DEVIATION_NOTIFY)
        rows = list(mine.select_related("unit").order_by("notification_due_at", "id")[:HOME_CLOCK_ROWS])
        total = mine.count() if rows else 0
    late_rows, late_total = [], 0
    if access.has_role(actor, *_OVERSEERS) and access.has_perm_anywhere(actor, access.P_DEVIATION_VIEW):
        late = pending.filter(notification_due_at__lt=now).for_actor(actor, access.P_DEVIATION_VIEW)
        late_rows = list(late.select_related("unit").order_by("notification_due_at", "id")[:HOME_CLOCK_ROWS])
        late_total = late.count() if late_rows else 0
    if not rows and not late_rows:
        return None
    return {"rows": rows, "total": total, "late_rows": late_rows, "late_total": late_total, "now": now}
