"""What the restrictions area shows on the home page (core.registry HOME_BLOCKS):
per unit of the person's own, the measures of the last months still without a
signed decision or account that the person may sign, the debriefs not yet held
with the child, and the children flagged for many, consecutive or long
measures. Counts and links only: the names stay in the register, which logs
its reads."""

from __future__ import annotations

import datetime as dt
import functools

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from omavalvonta.core.lib.counts import CountsFirst, LazyCounts, counts_first
from omavalvonta.organisation import access, access_shape
from omavalvonta.organisation.models import Unit
from omavalvonta.restrictions import law
from omavalvonta.restrictions.models import ChildFlag, Restriction, RestrictionDocument
from omavalvonta.restrictions.services.register import DEBRIEF_REMIND_AFTER

# A measure older than this without its document is the register's business, not the home page's.
HOME_WINDOW = dt.timedelta(days=90)


def _counts(rows, decide_units: set[int]) -> tuple[dict[int, int], dict[int, int]]:
    """Per unit, the measures whose document the actor may sign (every written
    account, and a decision where the actor may decide) and the debriefs due,
    from the open measures' rows (`_open_rows`)."""
    to_sign: dict[int, int] = {}
    debriefs: dict[int, int] = {}
    for measure, record_kind, started_on, signed, debrief_due, _unit_name, unit_id in rows:
        if not signed:
            rule = law.measure(measure, started_on)
            kind = law.document_kind(rule, record_kind) if rule else None
            if kind == law.ACCOUNT or (kind == law.DECISION and unit_id in decide_units):
                to_sign[unit_id] = to_sign.get(unit_id, 0) + 1
        if debrief_due:
            debriefs[unit_id] = debriefs.get(unit_id, 0) + 1
    return to_sign, debriefs


@counts_first
def restriction_home_items(
    *, actor, today: dt.date | None = None, now: dt.datetime | None = None
) -> CountsFirst | None:
    """None when nothing waits. Counted first (core/lib/counts.py; the grants
    are read once per request): the open measures and the flags (for a
    decider); only where there are some, the measures' rows and the flags per
    unit with their units' names, from their SQL kept compiled for the person
    and the day (organisation/access_shape.kept_rows_for)."""
    if not access.own_unit_ids(actor, access.P_RESTRICTION_RECORD):
        return None
    decide_units = set(access.own_unit_ids(actor, access.P_RESTRICTION_DECIDE))
    today, now = today or timezone.localdate(), now or timezone.now()

    def counts():
        made = {"open": _open_measures(actor, now)}
        if decide_units:
            made["flags"] = _unhandled_flags(actor)
        return made

    def then(counted):
        kept = functools.partial(access_shape.kept_rows_for, actor, today=today, now=now)
        rows = kept("restrictions.open", _open_rows) if counted["open"] else []
        to_sign, debriefs = _counts(rows, decide_units)
        flagged = kept("restrictions.flags", _flag_rows) if counted.get("flags") else []
        flags = {unit_id: n for unit_id, _name, n in flagged}
        waiting = set(to_sign) | set(debriefs) | set(flags)
        if not waiting:
            return None
        names = {row[6]: row[5] for row in rows} | {unit_id: name for unit_id, name, _n in flagged}
        units = [Unit(pk=pk, name=names[pk]) for pk in _by_name(actor, waiting, today, now)]
        rows = [
            {"unit": unit, "to_sign": to_sign.get(unit.pk, 0), "debriefs": debriefs.get(unit.pk, 0), "flags": flags.get(unit.pk, 0)}
            for unit in units
        ]
        return {
            "rows": rows,
            "flags": sum(flags.values()),
            "total": sum(r["to_sign"] + r["debriefs"] + r["flags"] for r in rows),
        }

    return CountsFirst(LazyCounts(counts), then)


def _open_measures(actor, now):
    """The measures of the actor's own units of the last HOME_WINDOW without
    their signed document or their debrief."""
    return (
        Restriction.objects.filter(
            unit_id__in=access.own_unit_ids(actor, access.P_RESTRICTION_RECORD), started_at__gte=now - HOME_WINDOW
        )
        .annotate(signed=Exists(RestrictionDocument.objects.filter(restriction=OuterRef("pk"))))
        .filter(Q(signed=False) | Q(debrief_at__isnull=True))
    )


def _unhandled_flags(actor):
    return ChildFlag.objects.filter(
        unit_id__in=access.own_unit_ids(actor, access.P_RESTRICTION_DECIDE), handled_at__isnull=True
    )


def _open_rows(who, now):
    """Of each open measure what decides what waits: the measure, the kind of
    record and the day it started (UTC: the law in force then), signed or not,
    its debrief due or not, and its unit with the unit's name (a date and a
    flag read for less than the two times)."""
    debrief_due = Q(debrief_at__isnull=True, started_at__lte=now - DEBRIEF_REMIND_AFTER)
    return (
        _open_measures(who, now)
        .order_by()
        .values_list(
            "measure", "record_kind", TruncDate("started_at", tzinfo=dt.UTC), "signed",
            ExpressionWrapper(debrief_due, output_field=BooleanField()), "unit__name", "unit_id",
        )
    )


def _flag_rows(who, _now):
    return _unhandled_flags(who).order_by().values_list("unit_id", "unit__name").annotate(n=Count("id"))


def _by_name(actor, waiting: set, today, now) -> list[int]:
    """The waiting units' ids in the order of their names (as the database
    orders them): one unit needs no ordering, several are ordered by the
    database (its collation, not Python's)."""
    if len(waiting) == 1:
        return list(waiting)

    def ordered(_who, _now):
        return Unit.objects.filter(pk__in=sorted(waiting)).order_by("name", "pk").values_list("pk")

    key = ("restrictions.units", tuple(sorted(waiting)))
    return [pk for (pk,) in access_shape.kept_rows_for(actor, key, ordered, today=today, now=now)]
