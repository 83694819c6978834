"""Counts-first blocks whose counting SQL is kept compiled (issue 13).

The home page asks some twenty blocks (core.registry HOME_BLOCKS) for their
counts (core/lib/counts.py). Building their querysets and compiling them was
most of the page's work, for SQL that is the same on every visit of the same
person on the same day but for the time of the request. `resolve_kept` keeps
each block's compiled counts per `Keep.key` and fills the time in; a block is
built for the request only when one of its counts is not 0 (its `then` needs
the request's querysets for its rows), or when it cannot be kept.

The contract of a kept block: `Keep.learn(now)` builds it from what `key`
names and `now` alone. It reads nothing from the database while building (no
read decides its SQL), and uses `now` only as a filter's operand, as it is or
moved by a fixed timedelta of UTC time, never to choose how to filter. A block
that reads while building, or whose SQL or parameters differ otherwise between
two `now`s, is not kept (see `_learn`): it is built and compiled on every
request, as before. Its `then` with every count 0 must be falsy without a read
(or equal `Keep.zero`'s) without a read for the block to be skipped when
nothing is counted (else it is built then too, its counts still kept).

`kept_rows` keeps a values query's SQL the same way (same contract for its
`learn`), for a statement of its own (the home page's deviation figures).

`kept_counts` keeps the counting SQL of one record's own lists (a report's
attachments, messages...) with the record's id as the operand filled in: its
`learn(record_id)` builds them from the id alone, reads nothing and uses the id
only as a filter's operand (learnt with two ids no record holds, as the times).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.core.signals import setting_changed
from django.db import connections

from omavalvonta.core.lib.counts import CountsFirst, counted_sql, counts_statement


@dataclass(frozen=True)
class Keep:
    """A block to count: `key` names everything its SQL depends on besides
    `now` (the block, the person and their grants, the day...); `declare(now)`
    builds it for the request, `learn(now)` the same from inputs that read
    nothing (see the module's contract)."""

    key: tuple
    declare: Callable
    learn: Callable
    # What the block shows when every count is 0 (`zero({name: 0})`), without
    # being built; None: nothing. Kept so only when its `then` gives the same.
    zero: Callable | None = None


class _Shape(NamedTuple):
    # ((count name, sql, params, {parameter position: timedelta from `now`}), ...)
    parts: tuple
    zero_known: bool  # `then` with every count 0 reads nothing and gives `Keep.zero`'s (or nothing)


class _Statement(NamedTuple):
    sql: str
    params: tuple
    moved: dict  # {parameter position: timedelta from `now`}
    converters: tuple  # ((column, (functions, expression)), ...): the fields' converters


_NOTHING = "nothing"  # the block shows nothing for this key (built as None without a read)
_UNKEPT = "unkept"  # built and compiled on every request

# Two times no record holds, in winter and in summer (a value moved by local
# wall-clock time, or cut to a day or an hour, differs by another timedelta in
# each: not kept), differing in every part.
NOW_SENTINELS = (
    dt.datetime(2101, 1, 3, 4, 5, 6, 700001, tzinfo=dt.UTC),
    dt.datetime(2102, 7, 5, 7, 9, 11, 800003, tzinfo=dt.UTC),
)
# Two record ids no record holds (kept_counts), as the times above.
ID_SENTINELS = (9_007_199_254_740_881, 9_007_199_254_740_997)
SHAPES_KEPT = 4096  # blocks x people x the day: beyond it, the kept shapes start again
_shapes: dict = {}
_lock = threading.Lock()


def resolve_kept(blocks: list[Keep], *, now: dt.datetime, using: str = "default") -> list:
    """Each block's data (as counts.resolve_many gives it), all counts in one
    statement, each kept block's counts from its kept SQL with `now` filled in."""
    shapes = [_shape_of(block, using) for block in blocks]
    declared = [block.declare(now) if shape == _UNKEPT else None for block, shape in zip(blocks, shapes, strict=True)]
    parts = []
    for i, (shape, made) in enumerate(zip(shapes, declared, strict=True)):
        if isinstance(shape, _Shape):
            parts.extend(((i, name), sql, _filled(params, moved, now)) for name, sql, params, moved in shape.parts)
        elif isinstance(made, CountsFirst):
            parts.extend(((i, name), *counted_sql(qs, f"counted_{i}_{n}", using)) for n, (name, qs) in enumerate(made.counts.items()))
    counted = counts_statement(parts, using=using)
    return [_data(block, shape, made, i, counted, now) for i, (block, shape, made) in enumerate(zip(blocks, shapes, declared, strict=True))]


def _data(block: Keep, shape, made, index: int, counted: dict, now):
    if shape == _NOTHING:
        return None
    if isinstance(shape, _Shape):
        mine = {name: counted[(index, name)] for name, _sql, _params, _moved in shape.parts}
        if shape.zero_known and not any(mine.values()):
            return block.zero(mine) if block.zero else None
        made = block.declare(now)  # its `then` reads the rows (its querysets, or their SQL kept: kept_rows)
        return made.then(mine) if isinstance(made, CountsFirst) else made
    if isinstance(made, CountsFirst):
        return made.then({name: counted[(index, name)] for name in made.counts})
    return made


def _filled(params: tuple, moved: dict, now) -> list:
    return [now + moved[i] if i in moved else param for i, param in enumerate(params)]


def kept_rows(key: tuple, declare: Callable, learn: Callable, *, now: dt.datetime, using: str = "default") -> list[tuple]:
    """The rows of the query `declare(now)` builds (a values_list queryset's
    tuples, its fields' values as it gives them) from its SQL kept per `key` with
    `now` filled in; `learn(now)` builds the same reading nothing (the module's
    contract), else the query is built and compiled every time."""
    statement = kept_shape(("rows", *key), lambda: _learn_statement(learn, using))
    if not isinstance(statement, _Statement):
        statement = _compiled(declare(now), using)
        if statement is None:
            return []
    with connections[using].cursor() as cursor:
        cursor.execute(statement.sql, _filled(statement.params, statement.moved, now))
        rows = cursor.fetchall()
    return _converted(rows, statement.converters, connections[using])


def kept_counts(key: tuple, declare: Callable, learn: Callable, *, record_id, using: str = "default") -> list:
    """The counts of the querysets `declare()` builds ({name: queryset}) as
    parts for counts.counts_statement ([(name, sql, params)]), their SQL kept per
    `key` with `record_id` filled in; `learn(record_id)` builds the same from the
    id alone (the module's contract), else they are built and compiled every time."""
    shape = kept_shape(("ids", *key), lambda: _learn_ids(learn, using))
    if shape == _UNKEPT:
        return [(name, *counted_sql(queryset, f"own_{n}", using)) for n, (name, queryset) in enumerate(declare().items())]
    return [(name, sql, [at[i](record_id) if i in at else param for i, param in enumerate(params)]) for name, sql, params, at in shape]


def _learn_ids(learn: Callable, using: str):
    """One record's counts' parts, learnt with the two sentinel ids as `_learn`
    learns with the times: kept when both compile to the same SQL whose
    parameters differ only where a sentinel id stands."""
    dict(learn(ID_SENTINELS[0]))
    with reads(using) as seen:
        first, second = (dict(learn(record_id)) for record_id in ID_SENTINELS)
        if seen or list(first) != list(second):
            return _UNKEPT
        parts = []
        for n, name in enumerate(first):
            sql_a, params_a = counted_sql(first[name], f"own_{n}", using)
            sql_b, params_b = counted_sql(second[name], f"own_{n}", using)
            at = _operands(params_a, params_b) if sql_a == sql_b and len(params_a) == len(params_b) else None
            if at is None:
                return _UNKEPT
            parts.append(_inlined(name, sql_a, params_a, at, connections[using]))
    return _UNKEPT if seen else tuple(parts)


def _operands(params_a, params_b) -> dict | None:
    """{position: the parameter's type} of the parameters that are the
    sentinel ids (each in its own build: an int, or the database client's int
    type); None when another parameter differs."""
    at = {}
    for i, (a, b) in enumerate(zip(params_a, params_b, strict=True)):
        if a == b and type(a) is type(b):
            continue
        if not (isinstance(a, int) and not isinstance(a, bool) and type(a) is type(b) and (a, b) == ID_SENTINELS):
            return None
        at[i] = type(a)
    return at


def _compiled(queryset, using: str) -> _Statement | None:
    """The query's statement (no time moved), or None when it has no rows."""
    compiler = queryset.query.get_compiler(using=using)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # a filter on an empty list
        return None
    converters = compiler.get_converters([column for column, _sql, _alias in compiler.select[: compiler.col_count]])
    return _Statement(sql, tuple(params), {}, tuple(converters.items()))


def _converted(rows: list, converters: tuple, connection) -> list[tuple]:
    """The rows with the fields' converters applied (as the compiler applies them)."""
    if not converters:
        return [tuple(row) for row in rows]
    converted = []
    for row in rows:
        values = list(row)
        for position, (functions, expression) in converters:
            for convert in functions:
                values[position] = convert(values[position], expression, connection)
        converted.append(tuple(values))
    return converted


def _learn_statement(learn: Callable, using: str):
    """A values query's statement, learnt as `_learn` learns a block's counts."""
    learn(NOW_SENTINELS[0])
    with reads(using) as seen:
        first, second = (_compiled(learn(now), using) for now in NOW_SENTINELS)
    if seen or first is None or second is None:
        return _UNKEPT
    same = first.sql == second.sql and len(first.params) == len(second.params)
    moved = _moved(first.params, second.params) if same else None
    if moved is None:
        return _UNKEPT
    _name, sql, params, moved = _inlined("rows", first.sql, first.params, moved, connections[using])
    return first._replace(sql=sql, params=tuple(params), moved=moved)


def _shape_of(block: Keep, using: str):
    return kept_shape(block.key, lambda: _learn(block, using))


def kept_shape(key: tuple, learn: Callable):
    """What `learn()` gives, kept per `key` (at most SHAPES_KEPT keys; a kept
    statement of another module too: yearclock/counted.py)."""
    shape = _shapes.get(key)
    if shape is None:
        shape = learn()
        with _lock:
            if len(_shapes) >= SHAPES_KEPT:
                _shapes.clear()
            _shapes[key] = shape
    return shape


@contextmanager
def reads(using: str):
    """The statements run inside (listed, not stopped): learning reads nothing."""
    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connections[using].execute_wrapper(wrapper):
        yield seen


def _learn(block: Keep, using: str):
    """The block's shape: built once to fill the process's own caches (content
    types...), then twice with the two sentinel times, reading nothing; kept
    when both compile to the same SQL whose parameters differ only where a
    sentinel (moved by the same timedelta in both) stands."""
    warm = block.learn(NOW_SENTINELS[0])
    if isinstance(warm, CountsFirst):
        dict(warm.counts)  # counts built when first read (counts.LazyCounts) too
    with reads(using) as seen:
        first, second = (block.learn(now) for now in NOW_SENTINELS)
        if first is None and second is None:
            return _UNKEPT if seen else _NOTHING
        if seen or not (isinstance(first, CountsFirst) and isinstance(second, CountsFirst)):
            return _UNKEPT
        parts = _parts(first, second, using)
        if parts is None or seen:
            return _UNKEPT
        zeros = dict.fromkeys(first.counts, 0)
        zero = first.then(zeros)  # reads: the block is built on every request, its counts kept
        known = not seen and (zero == block.zero(zeros) if block.zero else not zero)
        return _Shape(parts=tuple(parts), zero_known=known)


def _parts(first: CountsFirst, second: CountsFirst, using: str) -> list | None:
    """The kept parts of a block built with each sentinel time, or None."""
    if list(first.counts) != list(second.counts):
        return None
    parts = []
    for n, name in enumerate(first.counts):
        sql_a, params_a = counted_sql(first.counts[name], f"counted_{n}", using)
        sql_b, params_b = counted_sql(second.counts[name], f"counted_{n}", using)
        moved = _moved(params_a, params_b) if sql_a == sql_b and len(params_a) == len(params_b) else None
        if moved is None:
            return None
        parts.append(_inlined(name, sql_a, params_a, moved, connections[using]))
    return parts


def _inlined(name: str, sql: str, params: list, moved: dict, connection) -> tuple:
    """(name, sql, params, moved) with the parameters that do not move written
    into the SQL once, as the database's client would write them on every
    request (a region's hundred unit ids in each of twenty counts took more of
    the page's time to write than to count, issue 13); only the times stay
    parameters. As it was where the database is not PostgreSQL."""
    if connection.vendor != "postgresql":
        return name, sql, tuple(params), moved
    connection.ensure_connection()
    marks = {i: f"kept-now-{i}" for i in moved}
    text = connection.ops.compose_sql(sql, [marks.get(i, param) for i, param in enumerate(params)]).replace("%", "%%")
    for mark in marks.values():
        text = text.replace(f"'{mark}'", "%s", 1)
    if text.count("%s") != len(marks) or "kept-now-" in text:
        return name, sql, tuple(params), moved
    return name, text, (None,) * len(marks), {j: moved[i] for j, i in enumerate(sorted(moved))}


def _moved(params_a, params_b) -> dict | None:
    """{position: timedelta} of the parameters made from the sentinel times
    (the same timedelta from each); None when another parameter differs."""
    moved = {}
    for i, (a, b) in enumerate(zip(params_a, params_b, strict=True)):
        if a == b and type(a) is type(b):
            continue
        if not (isinstance(a, dt.datetime) and isinstance(b, dt.datetime) and a.tzinfo and b.tzinfo):
            return None
        if a - NOW_SENTINELS[0] != b - NOW_SENTINELS[1]:
            return None
        moved[i] = a - NOW_SENTINELS[0]
    return moved


def forget_kept(**_kwargs) -> None:
    """Drop the kept shapes (tests; a changed setting may change a block's SQL)."""
    with _lock:
        _shapes.clear()


setting_changed.connect(forget_kept, dispatch_uid="core.lib.kept.forget_kept")
