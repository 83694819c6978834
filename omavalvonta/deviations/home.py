"""What the deviations area shows on the home page (core.registry HOME_BLOCKS):
the statutory notifications the person must make or that are late in the units
they oversee, and the reports they handle."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from omavalvonta.core.lib.counts import CountsFirst, counts_first
from omavalvonta.deviations.models import OPEN_STATE_VALUES, Deviation
from omavalvonta.deviations.selectors import deviation_list, priority_first
from omavalvonta.organisation import access
from omavalvonta.organisation.models import Role

HOME_QUEUE_ROWS = 8
# What deviations/_home_queue.html and deviations/_badges.html read of a report.
_QUEUE_FIELDS = (
    "kind", "number", "state", "due_date", "is_critical", "risk_level",
    "notification_due_at", "notification_done_at", "unit__name",
)


@counts_first
def handler_queue_home_items(*, actor, today: dt.date | None = None) -> CountsFirst | None:
    """The open reports `actor` handles, grievances, critical reports and serious
    events first; None when there are none or the actor sees no reports. The
    count first (core/lib/counts.py), the rows only when there are some."""
    if not access.has_perm_anywhere(actor, access.P_DEVIATION_VIEW):
        return None
    # The open states by name: the (handler, state) index finds them.
    mine = deviation_list(actor=actor, filters={}).filter(handler=actor, state__in=OPEN_STATE_VALUES)

    def then(counted):
        if not counted["total"]:
            return None
        # The block names each report's unit, not its region or handler: the unit joined
        # alone, and only the fields the block and its badges show.
        rows = priority_first(mine.select_related(None).select_related("unit").only(*_QUEUE_FIELDS))
        return list(rows[:HOME_QUEUE_ROWS]) or None

    return CountsFirst({"total": mine}, then)


# Roles that oversee units and see their late notifications on the home page.
_OVERSEERS = (
    Role.RESPONSIBLE_PERSON,
    Role.REGIONAL_DIRECTOR,
    Role.QUALITY_DIRECTOR,
    Role.REHABILITATION_DIRECTOR,
    Role.MANAGEMENT_GROUP,
)
HOME_CLOCK_ROWS = 6


@counts_first
def statutory_clock_home_items(
    *, actor, today: dt.date | None = None, now: dt.datetime | None = None
) -> CountsFirst | None:
    """The home page's statutory notifications: the reports `actor` must notify
    (the § 28 clock runs), soonest deadline first, and for those who oversee
    units the late ones in their scope. None when there is nothing. The counts
    first (core/lib/counts.py), then a query for each list that is not empty."""
    now = now or timezone.now()
    pending = Deviation.objects.filter(notification_due_at__isnull=False, notification_done_at__isnull=True)
    counts = {}
    if access.has_perm_anywhere(actor, access.P_DEVIATION_NOTIFY):
        counts["total"] = pending.for_actor(actor, access.P_DEVIATION_NOTIFY)
    if access.has_role(actor, *_OVERSEERS) and access.has_perm_anywhere(actor, access.P_DEVIATION_VIEW):
        counts["late_total"] = pending.filter(notification_due_at__lt=now).for_actor(actor, access.P_DEVIATION_VIEW)
    if not counts:
        return None

    def then(counted):
        result = {"rows": [], "total": 0, "late_rows": [], "late_total": 0, "now": now}
        for total, rows in (("total", "rows"), ("late_total", "late_rows")):
            if counted.get(total):
                result[total] = counted[total]
                result[rows] = list(
                    counts[total].select_related("unit").order_by("notification_due_at", "id")[:HOME_CLOCK_ROWS]
                )
        if not result["rows"] and not result["late_rows"]:
            return None
        return result

    return CountsFirst(counts, then)
