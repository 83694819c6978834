"""Many small reads in one round trip: `newest_of_union` sends the newest rows of
several ordered `values_list` querysets (of any models and column types) as one
UNION ALL on PostgreSQL, where the database runs each part with its own ORDER BY
and LIMIT and keeps only the newest rows of them all; one query a part where it
cannot (SQLite, the tests). Used by the unit timeline (core.registry
UNIT_TIMELINE), where every area's kinds of event make one page (issue 19's
bench: 19 parts, one query). `shaped` keeps a provider's parts compiled, so a
page does not build and compile the same SQL again for other window times."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from django.core.exceptions import EmptyResultSet
from django.db import connections

from omavalvonta.core.lib.dates import HELSINKI, day_start


@dataclass(frozen=True)
class Newest:
    """The newest rows of the parts: (at, part index, values) newest first, ties
    in the parts' order and each part's own order; every row at the time of the
    `limit`-th is in (a page cut by time loses none of them). `older`: rows older
    than these are left (in a part, or cut by a part's limit)."""

    rows: list[tuple[dt.datetime, int, tuple]]
    older: bool


def newest_of_union(parts: Sequence, *, limit: int) -> Newest:
    """The newest `limit` rows of all `parts` (more when rows share the time of the
    `limit`-th), reading at most `limit` + 1 rows of each part (its queryset is
    cut to them in place). A part has `rows`,
    a `values_list` queryset ordered newest first whose first column is the time
    (a datetime; a date when the part's `day`, placed at the day's start in
    Helsinki) and whose others are integers, text, booleans or null
    (core.registry.TimelinePart). One query on
    PostgreSQL whatever the number of parts (none when no part can have a row),
    one a part elsewhere."""
    compiled = []
    for index, part in enumerate(parts):
        if isinstance(part.rows, Compiled):  # a `shaped` part: its SQL kept, cut here
            compiled.append((index, part, f"{part.rows.sql} LIMIT {limit + 1:d}", list(part.rows.params)))
            continue
        # Each part's own queryset is cut in place (not cloned: the parts are
        # made for this read).
        part.rows.query.set_limits(high=limit + 1)
        try:
            sql, params = part.rows.query.get_compiler(part.rows.db).as_sql()
        except EmptyResultSet:
            continue  # the kernel leaves the actor nothing of this part
        compiled.append((index, part, sql, params))
    if not compiled:
        return Newest(rows=[], older=False)
    connection = connections[_db(parts[compiled[0][0]].rows)]
    if connection.vendor == "postgresql":
        return _postgresql(connection, compiled, limit)
    return _one_by_one(compiled, limit)


def _postgresql(connection, compiled, limit) -> Newest:
    # Each part in its own parentheses keeps its ORDER BY and LIMIT; its columns
    # are renamed by position (c0 the time, the rest packed into one JSON array,
    # so parts of different shapes share the UNION's columns). The window
    # functions keep the rows at or above the `limit`-th time (rank) and tell
    # whether any are left below it (the counts).
    selects, params = [], []
    for index, part, sql, part_params in compiled:
        width = _width(part.rows)
        names = ", ".join(f"c{i}" for i in range(width))
        values = ", ".join(f"p.c{i}" for i in range(1, width))
        at = "(p.c0::timestamp AT TIME ZONE %s)" if part.day else "p.c0"
        if part.day:
            params.append(str(HELSINKI))
        selects.append(
            f"(SELECT {at} AS at, {index:d} AS part, row_number() OVER () AS seq, "
            f"json_build_array({values}) AS vals FROM ({sql}) AS p({names}))"
        )
        params.extend(part_params)
    union = " UNION ALL ".join(selects)
    sql = (
        "SELECT at, part, vals, total, in_part FROM ("
        "SELECT u.*, rank() OVER (ORDER BY u.at DESC) AS rk, count(*) OVER () AS total, "
        "count(*) OVER (PARTITION BY u.part) AS in_part "
        f"FROM ({union}) AS u) AS r WHERE rk <= %s ORDER BY at DESC, part, seq"
    )
    params.append(limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    days = {index for index, part, _sql, _params in compiled if part.day}
    rows = [
        (at.astimezone(HELSINKI) if index in days else at, index, tuple(json.loads(vals) if isinstance(vals, str) else vals))
        for at, index, vals, _total, _in_part in found
    ]
    older = bool(found) and (found[0][3] > len(found) or any(row[4] > limit for row in found))
    return Newest(rows=rows, older=older)


def _one_by_one(compiled, limit) -> Newest:
    rows, cut = [], False
    for index, part, _sql, _params in compiled:
        if isinstance(part.rows, Compiled):
            raise TypeError("shaped parts are made on PostgreSQL only")
        got = list(part.rows)
        cut = cut or len(got) > limit
        for seq, (at, *values) in enumerate(got):
            rows.append((day_start(at) if part.day else at, index, seq, tuple(values)))
    rows.sort(key=lambda r: (-r[0].timestamp(), r[1], r[2]))
    if len(rows) > limit:
        cursor = rows[limit - 1][0]
        page = [r for r in rows if r[0] >= cursor]
    else:
        page = rows
    return Newest(rows=[(at, index, values) for at, index, _seq, values in page], older=len(page) < len(rows) or cut)


def _width(rows) -> int:
    if isinstance(rows, Compiled):
        return rows.width
    return len(rows._fields) or len(rows.query.values_select)


def _db(rows) -> str:
    return rows.db


# --- Parts kept compiled -----------------------------------------------------------
#
# Building and compiling a unit timeline's ~19 querysets was half of its page's
# work, for SQL that is the same on every page but for the window's times. A
# provider may therefore hand its parts to `shaped`, which compiles them once per
# shape and fills in the values on later pages.


@dataclass(frozen=True)
class Compiled:
    """A part's rows as compiled SQL (ordered newest first, not cut) with its
    parameters, the number of columns and the database: made by `shaped`."""

    sql: str
    params: tuple
    width: int
    db: str


@dataclass(frozen=True)
class _Shape:
    parts: list  # [(the part without its rows, sql, params, {position: value name}, width, database)]


SHAPES_KEPT = 2048  # shapes (provider x unit x which window ends are open): all of them fit
_shapes: dict = {}
_lock = threading.Lock()


def _sentinel(value, which: int, slot: int):
    """A value of `value`'s type no real record holds (1901 and 1902; negative
    ids), one for each `which` (0, 1) and each value's `slot` (its place among
    the values). The two differ in every part (year, day, hour, ..., microsecond),
    so a value turned into another (its date, its hour) shows as a parameter
    that differs without being either sentinel."""
    if slot >= 10:
        raise TypeError("at most ten values")
    if isinstance(value, dt.datetime):
        if which == 0:
            return dt.datetime(1901, 2, 3, 4, 5, 6, 700001 + 10 * slot, tzinfo=dt.UTC)
        return dt.datetime(1902, 3, 5, 7, 9, 11, 800003 + 10 * slot, tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.date(1901, 1 + slot, 3) if which == 0 else dt.date(1902, 1 + slot, 7)
    if isinstance(value, int) and not isinstance(value, bool):
        return -1_000_000_007 - 10 * slot if which == 0 else -2_000_000_011 - 10 * slot
    raise TypeError(f"no sentinel for {type(value).__name__}")


def _compile(rows):
    try:
        sql, params = rows.query.get_compiler(rows.db).as_sql()
    except EmptyResultSet:
        return None
    return sql, tuple(params)


def _learn(build: Callable, values: dict) -> _Shape | None:
    """The shape of `build`'s parts, or None when it cannot be kept: `build` is
    called with two sets of sentinels in place of the values, and the shape is
    kept only when both compile to the same SQL whose parameters differ exactly
    where a value's sentinels stand (so no other parameter and no part of the
    SQL depends on the values)."""
    names = [name for name, value in values.items() if value is not None]
    slots = {name: slot for slot, name in enumerate(sorted(values))}
    first = {name: (_sentinel(values[name], 0, slots[name]) if name in names else None) for name in values}
    second = {name: (_sentinel(values[name], 1, slots[name]) if name in names else None) for name in values}
    made_first = build(**first)
    if any(connections[part.rows.db].vendor != "postgresql" for part in made_first):
        return None
    made_second = build(**second)
    if len(made_first) != len(made_second):
        return None
    parts = []
    for a, b in zip(made_first, made_second, strict=True):
        kept = _part_shape(a, b, [(name, first[name], second[name]) for name in names])
        if kept is None:
            return None
        parts.append(kept)
    return _Shape(parts=parts)


def _part_shape(a, b, sentinels):
    """(part, sql, params, {position: value name}, width, database) of one part built
    twice (`a` with the first sentinels, `b` with the second), or None."""
    same_entry = a.entry is b.entry or getattr(a.entry, "__code__", None) is getattr(b.entry, "__code__", b)
    if a.day != b.day or not same_entry:
        return None
    got_a, got_b = _compile(a.rows), _compile(b.rows)
    if got_a is None or got_b is None or got_a[0] != got_b[0] or len(got_a[1]) != len(got_b[1]):
        return None
    positions = _positions(got_a[1], got_b[1], sentinels)
    if positions is None:
        return None
    # The part is kept without its queryset (only the SQL is needed again).
    return replace(a, rows=None), got_a[0], got_a[1], positions, _width(a.rows), a.rows.db


def _positions(params_a, params_b, sentinels) -> dict | None:
    """{position: value name} of the parameters that are a value's sentinels in
    both compilations; None when another parameter differs between them or
    holds a sentinel (it was made from a value: it cannot be filled in)."""
    positions = {}
    for index, (pa, pb) in enumerate(zip(params_a, params_b, strict=True)):
        owner = [name for name, one, two in sentinels if pa == one and pb == two and type(pa) is type(one)]
        if len(owner) == 1:
            positions[index] = owner[0]
        elif pa != pb or any(pa in (one, two) for _name, one, two in sentinels):
            return None
    return positions


def shaped(key: tuple, build: Callable, **values) -> list:
    """`build(**values)`: a provider's `TimelinePart`s, compiled once per shape.
    `key` names everything besides `values` that `build` depends on (the
    provider and part, the unit, ...): `build` must read nothing else (no
    actor, no clock) and use each value only as a filter's operand, never to
    choose how to filter (a value may be None: an open end, part of the
    shape). Its parts' `entry` functions must not depend on the values. On
    PostgreSQL the parts come back with their rows as `Compiled` SQL, the
    values filled in; elsewhere, or when the shape cannot be kept (see
    `_learn`), as `build` makes them."""
    for slot, name in enumerate(sorted(values)):
        if values[name] is not None:
            try:
                _sentinel(values[name], 0, slot)
            except TypeError:
                return build(**values)
    shape_key = (key, tuple((name, None if value is None else type(value)) for name, value in sorted(values.items())))
    shape = _shapes.get(shape_key)
    if shape is None and shape_key not in _shapes:
        shape = _learn(build, values)
        with _lock:
            if len(_shapes) >= SHAPES_KEPT:
                _shapes.clear()
            _shapes[shape_key] = shape
    if shape is None:
        return build(**values)
    out = []
    for part, sql, params, positions, width, db in shape.parts:
        filled = tuple(values[positions[i]] if i in positions else param for i, param in enumerate(params))
        out.append(replace(part, rows=Compiled(sql=sql, params=filled, width=width, db=db)))
    return out


def forget_shapes() -> None:
    """Drop the kept shapes (tests)."""
    with _lock:
        _shapes.clear()
