"""What the deviations area shows on the home page (core.registry HOME_BLOCKS):
the statutory notifications the person must make or that are late in the units
they oversee, and the reports they handle."""

from __future__ import annotations

import datetime as dt
import html
from typing import NamedTuple

from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from omavalvonta.core.lib.counts import CountsFirst, LazyCounts, counts_first
from omavalvonta.deviations.list_rows import detail_url_prefix
from omavalvonta.deviations.models import OPEN_STATE_VALUES, Deviation, Kind, RiskLevel, State
from omavalvonta.deviations.selectors import deviation_list, priority_first
from omavalvonta.organisation import access, access_shape
from omavalvonta.organisation.models import Role

HOME_QUEUE_ROWS = 8


class QueueRow(NamedTuple):
    """What deviations/_home_queue.html shows of a report (`queue_html`)."""

    pk: int
    kind: str
    number: str
    state: str
    due_date: dt.date
    is_critical: bool
    risk_level: str
    notification_due_at: dt.datetime | None
    notification_done_at: dt.datetime | None
    unit: str  # the unit's name


@counts_first
def handler_queue_home_items(*, actor, today: dt.date | None = None, now: dt.datetime | None = None) -> CountsFirst | None:
    """The open reports `actor` handles, grievances, critical reports and serious
    events first (QueueRow); None when there are none or the actor sees no
    reports. The count first (core/lib/counts.py), the rows only when there are
    some, from their SQL kept compiled for the person and the day."""
    if not access.has_perm_anywhere(actor, access.P_DEVIATION_VIEW):
        return None
    today, now = today or timezone.localdate(), now or timezone.now()

    def then(counted):
        if not counted["total"]:
            return None
        rows = access_shape.kept_rows_for(actor, "deviations.queue", _queue_rows, today=today, now=now)
        return [QueueRow(*row) for row in rows] or None

    return CountsFirst(LazyCounts(lambda: {"total": _handled(actor)}), then)


def _handled(actor):
    # The open states by name: the (handler, state) index finds them.
    return deviation_list(actor=actor, filters={}).filter(handler=actor, state__in=OPEN_STATE_VALUES)


def _queue_rows(actor, _now):
    # The block names each report's unit, not its region or handler: the unit joined alone.
    return priority_first(_handled(actor).select_related(None)).values_list(*QueueRow._fields[:-1], "unit__name")[:HOME_QUEUE_ROWS]


def queue_html(deviations) -> str:
    """The queue's reports (`handler_queue_home_items`) as the loop of
    deviations/_home_queue.html wrote them, each with what
    deviations/_badges.html writes of it: the same markup, every value escaped,
    without a template and some forty variable lookups a report (issue 13)."""
    today = timezone.localdate()
    prefix = detail_url_prefix()
    kinds = {value: html.escape(str(label)) for value, label in Kind.choices}
    states = {value: html.escape(str(label)) for value, label in State.choices}
    # {% blocktranslate %} escapes the level, not the translation.
    risks = {value: _("Risk: %(level)s") % {"level": html.escape(str(label))} for value, label in RiskLevel.choices}
    # {% translate %} does not escape a translation.
    labels = {"grievance": _("§ 29 grievance"), "notify": _("§ 28: notify"), "critical": _("Critical"), "overdue": _("Overdue")}
    return mark_safe("".join(_queue_row(d, prefix, kinds, states, risks, labels, today) for d in deviations))  # noqa: S308 -- every value escaped


def _queue_row(d, prefix: str, kinds: dict, states: dict, risks: dict, labels: dict, today: dt.date) -> str:
    e = html.escape
    state = e(str(d.state))
    badges = [
        "",  # the line of {% load %}
        f'<span class="badge badge--grievance">{labels["grievance"]}</span>' if d.kind == Kind.GRIEVANCE else "",
        f'<span class="badge badge--serious">{labels["notify"]}</span>'
        if d.notification_due_at and not d.notification_done_at
        else "",
        f'<span class="badge badge--critical">{labels["critical"]}</span>' if d.is_critical else "",
        f'<span class="badge badge--{state}">{states.get(d.state, state)}</span>',
        f'<span class="badge badge--{e(str(d.risk_level))}">{risks.get(d.risk_level, e(str(d.risk_level)))}</span>'
        if d.risk_level
        else "",
        f'<span class="badge badge--overdue">{labels["overdue"]}</span>'
        if d.state != State.CLOSED and d.due_date < today
        else "",
        "",
    ]
    return (
        f'\n    <li><a href="{prefix}{d.pk}/">\n'
        f'      <span class="list-cards__title">{kinds.get(d.kind, e(str(d.kind)))}</span>\n'
        '      <span class="list-cards__meta">\n'
        f"        <span>{e(str(d.number))}</span><span>{e(str(d.unit))}</span>\n"
        f"        {chr(10).join(badges)}\n"
        "      </span></a></li>\n    "
    )


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
