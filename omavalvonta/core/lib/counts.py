"""Several counts in one round trip.

A page that asks many areas "how many are waiting?" (the home page asks some
fifteen through core.registry HOME_BLOCKS) pays a round trip per count. Here a
block declares its counts as querysets first (`CountsFirst`), the consumer
counts every block's querysets in one statement (`count_all`: one SELECT of
scalar subqueries) and then gives each block its own counts (`then`), which
fetches rows only where a count is not 0.

`@counts_first` keeps such a block an ordinary function for every other caller:
called, it counts its own querysets in one statement and returns its data;
`func.declare(**kwargs)` is the declaring form the home page uses."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Value


@dataclass(frozen=True)
class CountsFirst:
    """A block's counts to make ({name: queryset}) and what to do with them:
    `then({name: int})` returns the block's data (falsy: nothing to show)."""

    counts: dict
    then: Callable[[dict], object]


class LazyCounts(Mapping):
    """A block's {name: queryset} built when first read: a block whose counts
    are kept compiled (core/lib/kept.py) and whose rows do not read these
    querysets is not built for the request."""

    def __init__(self, build: Callable[[], dict]):
        self._build = build
        self._made = None

    def _counts(self) -> dict:
        if self._made is None:
            self._made = self._build()
        return self._made

    def __getitem__(self, name):
        return self._counts()[name]

    def __iter__(self):
        return iter(self._counts())

    def __len__(self) -> int:
        return len(self._counts())


def counted_sql(queryset, alias: str, using: str) -> tuple[str, list]:
    """`queryset`'s count as a scalar subquery (its SQL and parameters)."""
    # The rows' count, whatever they select: a constant keeps an index-only
    # plan possible (a DISTINCT query keeps its own columns, which it counts by).
    # A sliced queryset (counting stops at its limit) is counted as it is.
    inner = queryset if queryset.query.is_sliced else queryset.order_by()
    if not inner.query.distinct and not inner.query.is_sliced:
        inner = inner.annotate(_counted=Value(1)).values("_counted")
    try:
        sql, params = inner.query.get_compiler(using=using).as_sql()
    except EmptyResultSet:  # .none(), or a filter on an empty list: no rows
        return "0", []
    return f"(SELECT COUNT(*) FROM ({sql}) {alias})", list(params)


def summed_sql(queryset, field: str, alias: str, using: str) -> tuple[str, list]:
    """The sum of `field` over `queryset`'s rows as a scalar subquery (its SQL
    and parameters): a part of `counts_statement` that adds up kept counts."""
    try:
        sql, params = queryset.order_by().values(field).query.get_compiler(using=using).as_sql()
    except EmptyResultSet:
        return "0", []
    return f"(SELECT SUM({alias}.{connections[using].ops.quote_name(field)}) FROM ({sql}) {alias})", list(params)


def count_all(querysets: dict, *, using: str = "default") -> dict:
    """{name: queryset} → {name: its count}, in one SELECT (no query when empty)."""
    return counts_statement(
        [(name, *counted_sql(queryset, f"counted_{i}", using)) for i, (name, queryset) in enumerate(querysets.items())],
        using=using,
    )


def counts_statement(parts: list, *, using: str = "default") -> dict:
    """[(name, count subquery's SQL, its parameters)] → {name: the count}, in one
    SELECT (no query when empty)."""
    if not parts:
        return {}
    params = [param for _name, _sql, part_params in parts for param in part_params]
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(sql for _name, sql, _params in parts), params)
        row = cursor.fetchone()
    return {name: int(value or 0) for (name, _sql, _params), value in zip(parts, row, strict=True)}


def resolve(declared):
    """A block's data from what its declaring form returned."""
    if isinstance(declared, CountsFirst):
        return declared.then(count_all(declared.counts))
    return declared


def resolve_many(declared: list) -> list:
    """Several blocks' data, all their counts in one statement."""
    return resolve_with([], declared)[1]


def resolve_with(parts: list, declared: list, *, using: str = "default") -> tuple[dict, list]:
    """({name: count} of `parts` ([(name, count subquery's SQL, its parameters)],
    as core.lib.kept.kept_counts gives them), several blocks' data), all the
    counts in one statement."""
    pending = [
        ((i, name), queryset)
        for i, block in enumerate(declared)
        if isinstance(block, CountsFirst)
        for name, queryset in block.counts.items()
    ]
    counted = counts_statement(
        [
            *((("own", name), sql, params) for name, sql, params in parts),
            *((key, *counted_sql(queryset, f"counted_{n}", using)) for n, (key, queryset) in enumerate(pending)),
        ],
        using=using,
    )
    own = {name: counted[("own", name)] for name, _sql, _params in parts}
    return own, [
        block.then({name: counted[(i, name)] for name in block.counts}) if isinstance(block, CountsFirst) else block
        for i, block in enumerate(declared)
    ]


def counts_first(declare: Callable) -> Callable:
    """Decorate a function returning CountsFirst (or its data directly): the
    decorated function returns the data; `.declare` is the declaring form."""

    @functools.wraps(declare)
    def resolved(*args, **kwargs):
        return resolve(declare(*args, **kwargs))

    resolved.declare = declare
    return resolved
