"""The running sums of the answers (models.Tally): kept in step with the
answers in the transaction that stores or removes them, and recomputed from the
answers by `tallies_rebuild` (the data migration that introduced them, the demo
and the bench, which write answers in bulk).

A delta is keyed by (unit id, region id, service type, year, quarter, month,
group, key) and is a list [n, value_sum, nps_answered, promoters, detractors].
Every answer counts four times: for its unit (the row also records the unit's
region and service type), its region, its service type and the whole
organisation (see models.Tally)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import F

FIELDS = ("n", "value_sum", "nps_answered", "promoters", "detractors")


def new_deltas():
    return defaultdict(lambda: [0, 0, 0, 0, 0])


def _scopes(unit_id, region_id, service_type):
    """The (unit, region, service type) of the four rows an answer counts in."""
    return ((unit_id, region_id, service_type), (None, region_id, ""), (None, None, service_type), (None, None, ""))


def _add(deltas, scope, period, values) -> None:
    row = deltas[(*scope, *period)]
    for i, v in enumerate(values):
        row[i] += v or 0


def response_delta(deltas, *, unit_id, region_id, service_type, year, quarter, submitted_on, group, nps, values) -> None:
    """Add one response (its NPS and its scaled answers `values`: [(key, value)])
    to `deltas`, in its four scopes."""
    month = submitted_on.replace(day=1)
    nps_values = (1, 0, 1, nps >= 9, nps <= 6) if nps is not None else (1, 0, 0, 0, 0)
    for scope in _scopes(unit_id, region_id, service_type):
        _add(deltas, scope, (year, quarter, month, group, ""), nps_values)
        for key, value in values:
            if value is not None:
                _add(deltas, scope, (year, quarter, month, group, key), (1, value, 0, 0, 0))


def _lookup(unit_id, region_id, service_type, year, quarter, month, group, key) -> dict:
    period = {"year": year, "quarter": quarter, "month": month, "group": group, "key": key}
    if unit_id is not None:  # a unit's row: its region and type are data, not its identity
        return {"unit_id": unit_id, **period}
    return {"unit_id": None, "region_id": region_id, "service_type": service_type, **period}


def apply(deltas, *, sign: int = 1, Tally=None) -> None:
    """Add (sign 1) or subtract (sign -1) `deltas` to the stored rows, in the
    caller's transaction. A missing row is created (in a savepoint, so that a
    concurrent first answer of the same row makes this one update it instead);
    a row left with nothing is deleted."""
    if Tally is None:
        from omavalvonta.feedback.models import Tally

    def order(item):  # a fixed order: two transactions lock rows in the same order (no deadlock)
        return tuple((v is None, v or 0) if i < 2 else v for i, v in enumerate(item[0]))

    for key, values in sorted(deltas.items(), key=order):
        lookup = _lookup(*key)
        change = {f: F(f) + sign * v for f, v in zip(FIELDS, values, strict=True) if v}
        if not change:
            continue
        if Tally.objects.filter(**lookup).update(**change):
            if sign < 0:
                Tally.objects.filter(**lookup, n=0).delete()
            continue
        if sign < 0:
            raise ValueError(f"No tally row to subtract from: {lookup}")
        try:
            with transaction.atomic():
                Tally.objects.create(
                    **{**lookup, "region_id": key[1], "service_type": key[2]}, **dict(zip(FIELDS, values, strict=True))
                )
        except IntegrityError:
            Tally.objects.filter(**lookup).update(**change)


def deltas_of_responses(responses, Answer) -> dict:
    """The deltas of the responses in the queryset `responses` (with their answers),
    in the scopes their units' rows record."""
    from omavalvonta.feedback.models import Tally

    deltas = new_deltas()
    rows = list(
        responses.values_list(
            "pk", "unit_id", "round__year", "round__quarter", "submitted_on", "group", "nps", "unit__region_id",
            "unit__service_type",
        )
    )
    unit_ids = {r[1] for r in rows}
    scopes = {r[1]: (r[7], r[8]) for r in rows}  # the unit's own, unless its rows say otherwise
    scopes.update(
        (u, (region_id, service_type))
        for u, region_id, service_type in Tally.objects.filter(unit_id__in=unit_ids)
        .values_list("unit_id", "region_id", "service_type")
        .distinct()
    )
    values = defaultdict(list)
    for response_id, key, value in Answer.objects.filter(
        response_id__in=[r[0] for r in rows], value__isnull=False
    ).values_list("response_id", "key", "value"):
        values[response_id].append((key, value))
    for pk, unit_id, year, quarter, submitted_on, group, nps, _region, _type in rows:
        region_id, service_type = scopes[unit_id]
        response_delta(
            deltas, unit_id=unit_id, region_id=region_id, service_type=service_type, year=year, quarter=quarter,
            submitted_on=submitted_on, group=group, nps=nps, values=values[pk],
        )
    return deltas


@transaction.atomic
def unit_rescope(*, unit, created: bool = False) -> int:
    """A unit hook (organisation.hooks): when a unit has moved to another region
    or service type, its sums leave the old region's and type's rows for the new
    ones. The number of the unit's rows moved."""
    from omavalvonta.feedback.models import Tally

    rows = list(
        Tally.objects.select_for_update()
        .filter(unit_id=unit.pk)
        .exclude(region_id=unit.region_id, service_type=unit.service_type)
    )
    if not rows:
        return 0
    old, new = new_deltas(), new_deltas()
    for t in rows:
        period = (t.year, t.quarter, t.month, t.group, t.key)
        values = [getattr(t, f) for f in FIELDS]
        if t.region_id != unit.region_id:
            _add(old, (None, t.region_id, ""), period, values)
            _add(new, (None, unit.region_id, ""), period, values)
        if t.service_type != unit.service_type:
            _add(old, (None, None, t.service_type), period, values)
            _add(new, (None, None, unit.service_type), period, values)
    apply(old, sign=-1)
    apply(new)
    Tally.objects.filter(pk__in=[t.pk for t in rows]).update(region_id=unit.region_id, service_type=unit.service_type)
    return len(rows)


def tallies_rebuild(*, Tally=None, Response=None, Answer=None, Unit=None) -> int:
    """Recompute every tally from the answers (grouped queries: a few minutes
    for millions of answers), in the units' current regions and service types.
    The models can be a migration's historical ones. The number of rows written."""
    from django.db.models import Count, Q, Sum
    from django.db.models.functions import TruncMonth

    if Tally is None:
        from omavalvonta.feedback.models import Answer, Response, Tally
        from omavalvonta.organisation.models import Unit
    units = {pk: (region_id, service_type) for pk, region_id, service_type in Unit.objects.values_list("pk", "region_id", "service_type")}
    deltas = new_deltas()

    def add(unit_id, period, values):
        for scope in _scopes(unit_id, *units[unit_id]):
            _add(deltas, scope, period, values)

    for row in (
        Response.objects.annotate(m=TruncMonth("submitted_on"))
        .values("unit_id", "round__year", "round__quarter", "m", "group")
        .annotate(
            n=Count("id"),
            answered=Count("nps"),
            promoters=Count("id", filter=Q(nps__gte=9)),
            detractors=Count("id", filter=Q(nps__lte=6)),
        )
        .order_by()
    ):
        add(row["unit_id"], (row["round__year"], row["round__quarter"], _as_date(row["m"]), row["group"], ""),
            (row["n"], 0, row["answered"], row["promoters"], row["detractors"]))
    for row in (
        Answer.objects.filter(value__isnull=False)
        .annotate(m=TruncMonth("response__submitted_on"))
        .values("unit_id", "round__year", "round__quarter", "m", "response__group", "key")
        .annotate(n=Count("id"), total=Sum("value"))
        .order_by()
    ):
        period = (row["round__year"], row["round__quarter"], _as_date(row["m"]), row["response__group"], row["key"])
        add(row["unit_id"], period, (row["n"], row["total"], 0, 0, 0))
    with transaction.atomic():
        Tally.objects.all().delete()
        Tally.objects.bulk_create(
            (
                Tally(unit_id=unit_id, region_id=region_id, service_type=service_type, year=year, quarter=quarter,
                      month=month, group=group, key=key, **dict(zip(FIELDS, values, strict=True)))
                for (unit_id, region_id, service_type, year, quarter, month, group, key), values in deltas.items()
            ),
            batch_size=5000,
        )
    return len(deltas)


def _as_date(value) -> dt.date:
    """TruncMonth gives a date on PostgreSQL, a datetime or a string elsewhere."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value
