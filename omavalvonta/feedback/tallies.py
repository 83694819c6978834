"""The running sums of the answers (models.Tally): kept in step with the
answers in the transaction that stores or removes them, and recomputed from the
answers by `tallies_rebuild` (the data migration that introduced them, the demo
and the bench, which write answers in bulk).

A delta is keyed by (unit id or None, year, quarter, month, group, key) and is
a list [n, value_sum, nps_answered, promoters, detractors]; every answer counts
twice: for its unit and for the whole organisation (unit None)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import F

FIELDS = ("n", "value_sum", "nps_answered", "promoters", "detractors")


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def response_delta(deltas, *, unit_id, year, quarter, submitted_on, group, nps, values) -> None:
    """Add one response (its NPS and its scaled answers `values`: [(key, value)])
    to `deltas`, for its unit and for the organisation."""
    month = _month(submitted_on)
    for scope in (unit_id, None):
        row = deltas[(scope, year, quarter, month, group, "")]
        row[0] += 1
        if nps is not None:
            row[2] += 1
            row[3] += nps >= 9
            row[4] += nps <= 6
        for key, value in values:
            if value is None:
                continue
            item = deltas[(scope, year, quarter, month, group, key)]
            item[0] += 1
            item[1] += value


def new_deltas():
    return defaultdict(lambda: [0, 0, 0, 0, 0])


def apply(deltas, *, sign: int = 1, Tally=None) -> None:
    """Add (sign 1) or subtract (sign -1) `deltas` to the stored rows, in the
    caller's transaction. A missing row is created (in a savepoint, so that a
    concurrent first answer of the same row makes this one update it instead)."""
    if Tally is None:
        from omavalvonta.feedback.models import Tally
    for (unit_id, year, quarter, month, group, key), values in sorted(
        deltas.items(), key=lambda kv: (kv[0][0] is None, kv[0][0] or 0) + kv[0][1:]
    ):  # a fixed order: two transactions lock rows in the same order (no deadlock)
        lookup = {"unit_id": unit_id, "year": year, "quarter": quarter, "month": month, "group": group, "key": key}
        change = {f: F(f) + sign * v for f, v in zip(FIELDS, values) if v}
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
                Tally.objects.create(**lookup, **dict(zip(FIELDS, values)))
        except IntegrityError:
            Tally.objects.filter(**lookup).update(**change)


def deltas_of_responses(responses, Answer) -> dict:
    """The deltas of the responses in the queryset `responses` (with their answers)."""
    deltas = new_deltas()
    rows = list(
        responses.values_list("pk", "unit_id", "round__year", "round__quarter", "submitted_on", "group", "nps")
    )
    values = defaultdict(list)
    for response_id, key, value in Answer.objects.filter(
        response_id__in=[r[0] for r in rows], value__isnull=False
    ).values_list("response_id", "key", "value"):
        values[response_id].append((key, value))
    for pk, unit_id, year, quarter, submitted_on, group, nps in rows:
        response_delta(
            deltas, unit_id=unit_id, year=year, quarter=quarter, submitted_on=submitted_on, group=group, nps=nps,
            values=values[pk],
        )
    return deltas


def tallies_rebuild(*, Tally=None, Response=None, Answer=None) -> int:
    """Recompute every tally from the answers (grouped queries: a few seconds
    for millions of answers). The models can be a migration's historical ones.
    The number of rows written."""
    from django.db.models import Count, Q, Sum
    from django.db.models.functions import TruncMonth

    if Tally is None:
        from omavalvonta.feedback.models import Answer, Response, Tally
    deltas = new_deltas()

    def add(unit_id, year, quarter, month, group, key, values):
        for scope in (unit_id, None):
            row = deltas[(scope, year, quarter, month, group, key)]
            for i, v in enumerate(values):
                row[i] += v or 0

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
        add(row["unit_id"], row["round__year"], row["round__quarter"], _as_date(row["m"]), row["group"], "",
            (row["n"], 0, row["answered"], row["promoters"], row["detractors"]))
    for row in (
        Answer.objects.filter(value__isnull=False)
        .annotate(m=TruncMonth("response__submitted_on"))
        .values("unit_id", "round__year", "round__quarter", "m", "response__group", "key")
        .annotate(n=Count("id"), total=Sum("value"))
        .order_by()
    ):
        add(row["unit_id"], row["round__year"], row["round__quarter"], _as_date(row["m"]), row["response__group"],
            row["key"], (row["n"], row["total"], 0, 0, 0))
    with transaction.atomic():
        Tally.objects.all().delete()
        Tally.objects.bulk_create(
            (
                Tally(unit_id=unit_id, year=year, quarter=quarter, month=month, group=group, key=key,
                      **dict(zip(FIELDS, values)))
                for (unit_id, year, quarter, month, group, key), values in deltas.items()
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
