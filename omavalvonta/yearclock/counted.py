"""The unit-level duty sources' counts in one statement, kept compiled (issue 13).

A DUTY_SOURCES source of a unit's duties gives `counts(*, today, unit_ids)`: a
values() queryset, one row per unit with unit_id, due (not late), late and
oldest (core.registry.duty_counts builds one from a queryset of the duties).
The calendar's "this month" reads every source's counts for the units it
shows in one UNION ALL (`counted_in_database`) instead of making every duty.

Building and compiling a dozen sources' querysets was most of the page's
work, for SQL that is the same for every visit on the same day but for the
units' ids. `kept_counts` keeps the statement compiled per day, set of sources
and number of units, and fills the ids in. The contract of a source's
`counts`: it builds its queryset from `today` and `unit_ids` alone, reads
nothing while it builds, and uses the ids only as a filter's operand
(`unit_id__in=unit_ids`, `unit_id__any_of=unit_ids`). It is learnt with two
lists of ids no unit has; a source whose SQL or parameters differ otherwise
between the two is not kept: the statement is built for every request, as
before. Only the SQL is kept, in core.lib.kept's store (bounded, forgotten
when a setting changes, learnt with its read detector); the counts are read
on every request."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connections, models

from omavalvonta.core.lib.kept import (
    forget_kept as forget_kept,  # the kept statements are core.lib.kept's
    kept_shape,
    reads,
)
from omavalvonta.core.lib.prepared import prepared_cursor, prepares

_DATE = models.DateField()


class _Statement(NamedTuple):
    sql: str  # kept on PostgreSQL: (the pieces between the ids' places)
    params: tuple | None  # kept on PostgreSQL: None (written in)
    names: tuple  # the sources with a part, in the parts' order
    every: tuple  # the sources asked for


_UNKEPT = "unkept"


def _statement(querysets: dict, using: str) -> _Statement:
    """{source: its `counts` queryset} → one UNION ALL of them (a source whose
    filter can match nothing has no part)."""
    parts, params, names = [], [], []
    for name, queryset in querysets.items():
        try:
            sql, part_params = queryset.query.get_compiler(using=using).as_sql()
        except EmptyResultSet:
            continue
        parts.append(f"SELECT %s, c.unit_id, c.due, c.late, c.oldest FROM ({sql}) c")
        params.extend([len(names), *part_params])
        names.append(name)
    return _Statement(" UNION ALL ".join(parts), tuple(params), tuple(names), tuple(querysets))


def _run(statement: _Statement, using: str, *, prepared: bool = False) -> dict[str, dict[int, dict]]:
    found: dict[str, dict[int, dict]] = {name: {} for name in statement.every}
    if not statement.names:
        return found
    with (prepared_cursor(using) if prepared else connections[using].cursor()) as cursor:
        cursor.execute(statement.sql, statement.params)
        for index, unit_id, due, late, oldest in cursor.fetchall():
            if due or late:
                # A raw row: the date as the database driver gives it (SQLite: text).
                found[statement.names[index]][unit_id] = {"due": due, "late": late, "oldest": _DATE.to_python(oldest)}
    return found


def counted_in_database(querysets: dict, *, using: str = "default") -> dict[str, dict[int, dict]]:
    """{source: its `counts` queryset} → {source: {unit_id: {"due", "late",
    "oldest"}}}, every source's rows in one statement (a unit without any of
    a source's duties has no row)."""
    return _run(_statement(querysets, using), using)


def _sentinels(count: int, which: int) -> list[int]:
    """`count` unit ids no unit has (negative), different in each `which`, the
    first list falling and the second rising: an id picked by its value (the
    least, the greatest) or a sorted list stands at another place in each, so
    it is not taken for the id at one place."""
    if which == 0:
        return [-1_000_000_007 - 10 * i for i in range(count)]
    return [-2_000_000_011 - 10 * (count - 1 - i) for i in range(count)]


def _filled_positions(a: _Statement, b: _Statement, first: list, second: list) -> dict | None:
    """{parameter position: the index of the unit id in it, or None for the
    whole list}, when the two statements differ only where the sentinels
    stand; None otherwise."""
    if a.sql != b.sql or a.names != b.names or len(a.params) != len(b.params):
        return None
    where = {one: index for index, one in enumerate(first)}
    positions = {}
    for position, (pa, pb) in enumerate(zip(a.params, b.params, strict=True)):
        if isinstance(pa, list | tuple) and list(pa) == first and list(pb) == second:
            positions[position] = None
        elif type(pa) is int and pa in where and pb == second[where[pa]]:
            positions[position] = where[pa]
        elif pa != pb or pa in where or pb in second:
            return None
    return positions


def _learn(build: Callable, count: int, using: str):
    """(statement, positions) of `build` learnt with two lists of sentinel ids,
    or None when it cannot be kept (it reads, or its SQL depends on the ids
    otherwise than as operands)."""
    first, second = _sentinels(count, 0), _sentinels(count, 1)
    with reads(using) as seen:
        a = _statement(build(first), using)
        b = _statement(build(second), using)
    if seen:
        return None
    positions = _filled_positions(a, b, first, second)
    return None if positions is None else _inlined(a, positions, connections[using])


def _inlined(statement: _Statement, positions: dict, connection) -> tuple:
    """(statement, positions) with every parameter written into the SQL once,
    as the database's client would write it on every request (some two
    hundred constants and a dozen lists of ids took more of the page's time to
    write than to count): on PostgreSQL the SQL is kept in pieces between the
    places of the ids, which `_filled` fills in (parameters of a prepared
    statement, or integers written in). As it was
    elsewhere (core/lib/kept.py writes its constants in the same way)."""
    if connection.vendor != "postgresql":
        return statement, positions
    connection.ensure_connection()
    marks = {i: f"kept-ids-{i}-" for i in positions}
    text = connection.ops.compose_sql(statement.sql, [marks.get(i, p) for i, p in enumerate(statement.params)])
    pieces, order = [], []
    for i in sorted(positions):
        head, found, text = text.partition(f"'{marks[i]}'")  # written as a string
        if not found or marks[i] in text:
            return statement, positions
        pieces.append(head)
        order.append(positions[i])
    if "kept-ids-" in text or any("kept-ids-" in piece for piece in pieces):
        return statement, positions
    return statement._replace(sql=(*pieces, text), params=None), tuple(order)


def _filled(statement: _Statement, positions, unit_ids: list, using: str) -> _Statement:
    """The kept statement with the ids in: between its pieces (PostgreSQL:
    `positions` is their order, each an id's index or None for the whole list
    as an array) or as its parameters (`positions` {parameter: index or None}).
    Between the pieces they are the parameters of a prepared statement (planned
    once per connection, core.lib.prepared), or written in when it does not
    prepare."""
    if statement.params is None:
        ids = [int(unit_id) for unit_id in unit_ids]  # integers only are written into SQL
        pieces = statement.sql
        whole = "{" + ",".join(map(str, ids)) + "}"
        if prepares(using):
            # The list as an array's text, which the statement casts (psycopg
            # took a millisecond to write nine lists of 64 ids element by element).
            # (A list the statement does not cast goes as a list.)
            sql = "%s".join(piece.replace("%", "%%") for piece in pieces)
            params = tuple(
                ids[index] if index is not None else whole if piece.startswith("::") else ids
                for index, piece in zip(positions, pieces[1:], strict=True)
            )
            return statement._replace(sql=sql, params=params)
        values = [f"'{whole}'" if index is None else str(ids[index]) for index in positions]
        return statement._replace(sql=pieces[0] + "".join(v + piece for v, piece in zip(values, pieces[1:], strict=True)))
    params = tuple(
        param if position not in positions
        else (list(unit_ids) if positions[position] is None else unit_ids[positions[position]])
        for position, param in enumerate(statement.params)
    )
    return statement._replace(params=params)


def kept_counts(key: tuple, build: Callable, unit_ids: list[int], *, using: str = "default") -> dict:
    """`counted_in_database(build(unit_ids))`, the statement compiled once per
    `key` (which names everything besides the ids that `build`'s SQL depends
    on: the day, the sources) and number of units (rounded up), the ids filled in."""
    unit_ids = list(unit_ids)
    if not unit_ids:
        return counted_in_database(build(unit_ids), using=using)
    # Padded to a power of two with the last id again (the same units counted):
    # a handful of statements a day, not one for every number of units.
    unit_ids += unit_ids[-1:] * ((1 << (len(unit_ids) - 1).bit_length()) - len(unit_ids))
    learnt = kept_shape(kept_key(key, len(unit_ids), using), lambda: _learn(build, len(unit_ids), using) or _UNKEPT)
    if learnt == _UNKEPT:
        return counted_in_database(build(unit_ids), using=using)
    statement, positions = learnt
    return _run(_filled(statement, positions, unit_ids, using), using, prepared=statement.params is None)


def kept_key(key: tuple, units: int, using: str = "default") -> tuple:
    """The key of a statement kept for `key` and `units` ids (core.lib.kept's store)."""
    return ("duty-counts", using, *key, units)
