"""What the restrictions area shows on the home page (core.registry HOME_BLOCKS):
per unit of the person's own, the measures of the last months still without a
signed decision or account that the person may sign, the debriefs not yet held
with the child, and the children flagged for many, consecutive or long
measures. Counts and links only: the names stay in the register, which logs
its reads."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from omavalvonta.core.lib.counts import CountsFirst, counts_first
from omavalvonta.organisation import access
from omavalvonta.organisation.models import Unit
from omavalvonta.restrictions import law
from omavalvonta.restrictions.models import ChildFlag, Restriction, RestrictionDocument
from omavalvonta.restrictions.services.register import DEBRIEF_REMIND_AFTER

# A measure older than this without its document is the register's business, not the home page's.
HOME_WINDOW = dt.timedelta(days=90)


def _counts(rows, decide_units: set[int], debrief_due: dt.datetime) -> tuple[dict[int, int], dict[int, int]]:
    """Per unit, the measures whose document the actor may sign (every written
    account, and a decision where the actor may decide) and the debriefs due."""
    to_sign: dict[int, int] = {}
    debriefs: dict[int, int] = {}
    for measure, record_kind, started_at, unit_id, signed, debrief_at in rows:
        if not signed:
            rule = law.measure(measure, started_at.date())
            kind = law.document_kind(rule, record_kind) if rule else None
            if kind == law.ACCOUNT or (kind == law.DECISION and unit_id in decide_units):
                to_sign[unit_id] = to_sign.get(unit_id, 0) + 1
        if debrief_at is None and started_at <= debrief_due:
            debriefs[unit_id] = debriefs.get(unit_id, 0) + 1
    return to_sign, debriefs


@counts_first
def restriction_home_items(
    *, actor, today: dt.date | None = None, now: dt.datetime | None = None
) -> CountsFirst | None:
    """None when nothing waits. Counted first (core/lib/counts.py; the grants
    are read once per request): the open measures and the flags (for a
    decider); only where there are some, the measures' rows, the flags per unit
    and the units' names."""
    unit_ids = access.own_unit_ids(actor, access.P_RESTRICTION_RECORD)
    if not unit_ids:
        return None
    decide_units = set(access.own_unit_ids(actor, access.P_RESTRICTION_DECIDE))
    now = now or timezone.now()
    open_measures = (
        Restriction.objects.filter(unit_id__in=unit_ids, started_at__gte=now - HOME_WINDOW)
        .annotate(signed=Exists(RestrictionDocument.objects.filter(restriction=OuterRef("pk"))))
        .filter(Q(signed=False) | Q(debrief_at__isnull=True))
    )
    counts = {"open": open_measures}
    unhandled = ChildFlag.objects.filter(unit_id__in=decide_units, handled_at__isnull=True)
    if decide_units:
        counts["flags"] = unhandled

    def then(counted):
        to_sign, debriefs = _counts(
            open_measures.order_by().values_list("measure", "record_kind", "started_at", "unit_id", "signed", "debrief_at"),
            decide_units, now - DEBRIEF_REMIND_AFTER,
        ) if counted["open"] else ({}, {})
        flags = dict(
            unhandled.order_by().values_list("unit_id").annotate(n=Count("id"))
        ) if counted.get("flags") else {}
        waiting = set(to_sign) | set(debriefs) | set(flags)
        if not waiting:
            return None
        rows = [
            {"unit": unit, "to_sign": to_sign.get(unit.pk, 0), "debriefs": debriefs.get(unit.pk, 0), "flags": flags.get(unit.pk, 0)}
            for unit in Unit.objects.filter(pk__in=waiting).only("name").order_by("name")
        ]
        return {
            "rows": rows,
            "flags": sum(flags.values()),
            "total": sum(r["to_sign"] + r["debriefs"] + r["flags"] for r in rows),
        }

    return CountsFirst(counts, then)
